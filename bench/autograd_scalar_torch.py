"""The long scalar graph of bench/autograd (scalar) in PyTorch eager on
0-dimensional float64 tensors, 1 thread: y = (((x*a + b)*a + b)*a + b)...
with N operations, then y.backward(). Prints one line of key=value figures.
usage: python3 autograd_scalar_torch.py [N]"""
import gc
import sys
import time

import torch

torch.set_num_threads(1)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
gc.collect()
c0 = time.process_time()
t0 = time.perf_counter()
x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
a = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
b = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
y = x
for _ in range(n // 2):
    y = y * a + b
t1 = time.perf_counter()
y.backward()
t2 = time.perf_counter()
c2 = time.process_time()
print('torch scalar nodes=%d forward_seconds=%.3f backward_seconds=%.3f seconds=%.3f cpu_seconds=%.3f y=%r da=%r db=%r'
      % (n, t1 - t0, t2 - t1, t2 - t0, c2 - c0, y.item(), a.grad.item(), b.grad.item()))
