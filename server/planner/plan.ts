import type { Fix } from '../diagnosis/types.js';
import { archBuild, attentionBackend, driverUpdate, exposeGpu, installDependency, rocmBuild } from './environment-rules.js';
import { batchFit, modelFit } from './memory-rules.js';
import { patchCommand, patchConfig } from './patch-command.js';
import { freeDisk, freePort, hfToken, hostMemory, hubOffline, localizeFault, ncclTransport, shmSize, stabilizeTraining, timeBudget } from './runtime-rules.js';
import type { PlanContext, PlanResult, PlanRule } from './types.js';
import { contextFit, engineHeadroom, kvCacheFit } from './vllm-rules.js';

/** Planner rules by the `fix.strategy` a pattern names. */
export const RULES: Record<string, PlanRule> = {
  kv_cache_fit: kvCacheFit, context_fit: contextFit, engine_headroom: engineHeadroom,
  batch_fit: batchFit, model_fit: modelFit,
  arch_build: archBuild, driver_update: driverUpdate, rocm_build: rocmBuild,
  install_dependency: installDependency, attention_backend: attentionBackend, expose_gpu: exposeGpu,
  free_port: freePort, time_budget: timeBudget, nccl_transport: ncclTransport, shm_size: shmSize,
  free_disk: freeDisk, host_memory: hostMemory, hub_offline: hubOffline, hf_token: hfToken,
  stabilize_training: stabilizeTraining, localize_fault: localizeFault,
};

export interface Plan { fix: Fix | null; rootCause: string | null; derived: Record<string, unknown> }

/** Runs the pattern's rule and turns its changes into a fixed command line and config. A rule
 * that cannot compute anything falls back to the pattern's own summary, with no changes. */
export function plan(ctx: PlanContext): Plan {
  if (ctx.pattern.fix.strategy === 'none') return { fix: null, rootCause: null, derived: {} };
  const rule = RULES[ctx.pattern.fix.strategy];
  const result: PlanResult | null = rule ? rule(ctx) : null;
  const changes = result?.changes ?? [];
  const env = result?.env ?? {};
  const risks = [...(result?.risks ?? []), ...ctx.pattern.fix.risks];
  const command = ctx.config.command && (changes.length || Object.keys(env).length) ? patchCommand(ctx.config.command, changes, env) : null;
  const config = Object.keys(ctx.config.values).length && changes.length ? patchConfig(ctx.config.values, changes) : null;
  return {
    fix: { summary: result?.summary ?? ctx.pattern.fix.summary, changes, env, command, config, risks },
    rootCause: result?.rootCause ?? null,
    derived: result?.derived ?? {},
  };
}
