"""DeepConvNet of Deep Learning from Scratch (chapter 8) in PyTorch on the CPU,
the reference for bench/compare.sh: the layers of kiso's nn.DeepConvNet
(conv 3x3 16, 16, 32, 32 (pad 2), 64, 64 with ReLU, a 2x2 max pool after
every second conv, Linear 1024-50, ReLU, Dropout 0.5, Linear 50-10,
Dropout 0.5), He initialization, Adam 0.001, batch 100.

usage: python3 deepconvnet_torch.py MNIST_DIR train [steps] [threads]
       python3 deepconvnet_torch.py MNIST_DIR infer [threads]

train prints sec_per_600_iters (the training loop of STEPS steps, default
600, scaled to 600), its processor time cpu_seconds (scaled alike) and
test_acc; infer prints infer_seconds and cpu_seconds, one forward pass of
the 10,000 test images in batches of 100 under torch.no_grad()."""
import sys, time
import torch
import mnist_idx  # from ../shared/anchors, on PYTHONPATH (compare.sh sets it)

d, mode = sys.argv[1], sys.argv[2]
if mode == 'train':
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
else:
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
torch.set_num_threads(threads)
torch.manual_seed(0)
nn = torch.nn


def conv(i, o, pad=1):
    c = nn.Conv2d(i, o, 3, padding=pad)
    nn.init.kaiming_normal_(c.weight, nonlinearity='relu')
    nn.init.zeros_(c.bias)
    return c


def linear(i, o):
    l = nn.Linear(i, o)
    nn.init.kaiming_normal_(l.weight, nonlinearity='relu')
    nn.init.zeros_(l.bias)
    return l


model = nn.Sequential(
    conv(1, 16), nn.ReLU(), conv(16, 16), nn.ReLU(), nn.MaxPool2d(2),
    conv(16, 32), nn.ReLU(), conv(32, 32, 2), nn.ReLU(), nn.MaxPool2d(2),
    conv(32, 64), nn.ReLU(), conv(64, 64), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), linear(1024, 50), nn.ReLU(), nn.Dropout(0.5), linear(50, 10), nn.Dropout(0.5))
xtr, ytr, xte, yte = mnist_idx.load(d)
xte = torch.tensor(xte, dtype=torch.float32).reshape(-1, 1, 28, 28) / 255
yte = torch.tensor(yte, dtype=torch.long)
B = 100


def evaluate():
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(xte), B):
            correct += int((model(xte[i:i + B]).argmax(1) == yte[i:i + B]).sum())
    return correct / len(xte)


if mode == 'train':
    xtr = torch.tensor(xtr, dtype=torch.float32).reshape(-1, 1, 28, 28) / 255
    ytr = torch.tensor(ytr, dtype=torch.long)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    lossf = nn.CrossEntropyLoss()
    perm = torch.randperm(len(xtr))
    model.train()
    t0, c0 = time.perf_counter(), time.process_time()
    for it in range(steps):
        idx = perm[it * B:(it + 1) * B]
        opt.zero_grad()
        lossf(model(xtr[idx]), ytr[idx]).backward()
        opt.step()
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    print('torch deepcnn threads=%d steps=%d sec_per_600_iters=%.3f cpu_seconds=%.3f test_acc=%.4f'
          % (threads, steps, dt / steps * 600, dc / steps * 600, evaluate()))
else:
    t0, c0 = time.perf_counter(), time.process_time()
    evaluate()
    print('torch deepcnn threads=%d infer_seconds=%.4f cpu_seconds=%.4f'
          % (threads, time.perf_counter() - t0, time.process_time() - c0))
