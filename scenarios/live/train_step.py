#!/usr/bin/env python3
"""A real training step on the GPU: ReplayLab's live program for the train-batch-64 scenario.

An 8-layer MLP (hidden 4096, fp32) trained with AdamW on synthetic data: its parameters,
gradients and optimiser state take 2 GiB, and each sample's saved activations 128 MiB (512
positions x 4096 x 4 bytes x 2 tensors x 8 layers), the memory model the CPU simulator uses.
The process is capped at --card-gib of the GPU (torch.cuda.set_per_process_memory_fraction),
so the scenario's 8 GiB card is the same on any GPU. Running out of memory is PyTorch's own
error; the metrics are the last JSON line on stdout either way. Nothing is downloaded."""
import argparse
import json
import sys
import time

import torch

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument('--batch-size', type=int, required=True)
parser.add_argument('--gradient-accumulation-steps', type=int, default=1)
parser.add_argument('--card-gib', type=float, default=8.0)
parser.add_argument('--steps', type=int, default=4)
parser.add_argument('--hidden', type=int, default=4096)
parser.add_argument('--layers', type=int, default=8)
parser.add_argument('--positions', type=int, default=512)
args = parser.parse_args()

device = torch.device('cuda:0')
total = torch.cuda.get_device_properties(device).total_memory
torch.cuda.set_per_process_memory_fraction(min(1.0, args.card_gib * 2**30 / total), device)
effective = args.batch_size * args.gradient_accumulation_steps
print(f'INFO train_step.py: {torch.cuda.get_device_name(device)} capped at {args.card_gib:.2f} GiB of '
      f'{total / 2**30:.2f} GiB, batch_size={args.batch_size}, '
      f'gradient_accumulation_steps={args.gradient_accumulation_steps}, effective batch {effective}',
      file=sys.stderr, flush=True)

metrics = {
    'completed': False, 'items_per_s': 0, 'effective_batch': effective, 'batch_size': args.batch_size,
    'gradient_accumulation_steps': args.gradient_accumulation_steps, 'peak_memory_gib': 0,
    'steps': 0, 'final_loss': None, 'simulated': False,
}


def peak_gib():
    return round(torch.cuda.max_memory_reserved(device) / 2**30, 2)


torch.manual_seed(0)
blocks = []
for _ in range(args.layers):
    blocks += [torch.nn.Linear(args.hidden, args.hidden), torch.nn.GELU()]
try:
    model = torch.nn.Sequential(*blocks).to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-4)
    started = time.perf_counter()
    for step in range(1, args.steps + 1):
        optimiser.zero_grad(set_to_none=True)
        total_loss = 0.0
        for _ in range(args.gradient_accumulation_steps):
            x = torch.randn(args.batch_size, args.positions, args.hidden, device=device)
            loss = model(x).pow(2).mean() / args.gradient_accumulation_steps
            loss.backward()
            total_loss += loss.item()
            del x, loss
        optimiser.step()
        metrics['steps'] = step
        metrics['final_loss'] = round(total_loss, 4)
        print(f"{{'loss': {total_loss:.4f}, 'step': {step}, 'peak_memory_gib': {peak_gib()}}}", flush=True)
    torch.cuda.synchronize(device)
    elapsed = time.perf_counter() - started
    metrics.update(completed=True, items_per_s=round(args.steps * effective / elapsed, 1), peak_memory_gib=peak_gib())
    print(json.dumps(metrics), flush=True)
except torch.cuda.OutOfMemoryError:  # torch.OutOfMemoryError in 2.5+, the same class
    metrics['peak_memory_gib'] = peak_gib()
    print(json.dumps(metrics), flush=True)
    raise  # PyTorch's own message and traceback on stderr, exit status 1
