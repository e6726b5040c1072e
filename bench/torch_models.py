"""PyTorch references for `ektm bench` throughput ratios: the same models, shapes and workload on the CPU.

--model mmoe  a copy of ../shared/bench/torch_mmoe.py: 20 fields x vocab 10,000, emb dim 8, 4 experts [256,128],
              a softmax gate per task, towers [64] -> sigmoid, BCE, Adam lr 1e-3, batch 2048 (the same seeds, batches
              and labels, so the two print the same losses at --tasks 2)
--model ple   PLE as @ektm/baselines' ProgressiveLayeredExtraction with the bench sizes (levelUnits [[256], [128]]):
              2 levels of 4 experts (1 per task + 2 shared), the experts of level 1 one layer of 256 units, those of
              level 2 one layer of 128 (ReLU; MTReclib's PLE, one width per level); a gate per task over its own and
              the shared experts; a shared gate over all experts at the first level; towers [64]
--model aitm  AITM as @ektm/baselines' AitmTransfer on the single-task backbone: a [256,128] network per task,
              the transfer layer relu(W z + b), attention over (own, transferred) with query/key/value projections,
              logistic heads; no calibrator (the bench's tasks are side by side, not a funnel)
--model ektm  EKTM as @ektm/model's reference model on the MMoE backbone above: router (cosine similarity, learned
              temperature, self term), per target a gated-MLP transmitter and a gated-residual enhancer with an
              original head [64] (its BCE and the hinge enhancement loss); towers [64]; ctr is the source
--tasks N     tasks ctr, cvr, cvr2, ... (label k as in `ektm bench`: 0: all fields' values sum > 0; 1: odd fields'
              sum > 0.5; k >= 2: fields f with f mod (k+1) = 0 sum > 0)

Needs: apt-get install -y python3-torch libopenblas0-openmp. Run with Debian's python (/usr/bin/python3), which
holds that torch. usage: /usr/bin/python3 bench/torch_models.py [--model mmoe] [--tasks 2] [--threads 2]
[--steps 20] [--warmup 3] [--batch 2048]; prints one JSON line (the keys of torch_mmoe.py, plus model, tasks and the
rows per CPU-second).
"""
import argparse, json, math, resource, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as fn

p = argparse.ArgumentParser()
p.add_argument('--model', choices=['mmoe', 'ple', 'aitm', 'ektm'], default='mmoe')
p.add_argument('--tasks', type=int, default=2)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--steps', type=int, default=20)
p.add_argument('--warmup', type=int, default=3)
p.add_argument('--batch', type=int, default=2048)
a = p.parse_args()
if not 2 <= a.tasks <= 8:
    raise SystemExit(f'--tasks {a.tasks}: must be from 2 to 8')
torch.set_num_threads(a.threads)
torch.manual_seed(0)
F, V, D, E, T, B = 20, 10000, 8, 4, a.tasks, a.batch


def embeddings():
    emb = nn.ModuleList([nn.Embedding(V, D) for _ in range(F)])
    for e in emb:
        nn.init.normal_(e.weight, 0, 0.05)
    return emb


def tower(width):
    return nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, 1))


class MMoE(nn.Module):
    """torch_mmoe.py's model, with a gate and a tower per task."""

    def __init__(self):
        super().__init__()
        self.emb = embeddings()
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(F * D, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU()) for _ in range(E)])
        self.gates = nn.ModuleList([nn.Linear(F * D, E) for _ in range(T)])
        self.towers = nn.ModuleList([tower(128) for _ in range(T)])

    def representations(self, ids):
        x = torch.cat([self.emb[f](ids[:, f]) for f in range(F)], 1)
        stacked = torch.stack([ex(x) for ex in self.experts], 1)  # [B,E,128]
        return [(torch.softmax(self.gates[t](x), 1).unsqueeze(2) * stacked).sum(1) for t in range(T)]

    def forward(self, ids):  # ids [B,F] int64; returns logits per task
        return [self.towers[t](r) for t, r in enumerate(self.representations(ids))], []


class PLE(nn.Module):
    OWN, SHARED, UNITS = 1, 2, (256, 128)  # one expert width per level, as the MMoE's expert network [256, 128]
    LEVELS = len(UNITS)

    def __init__(self):
        super().__init__()
        self.emb = embeddings()
        count = T * self.OWN + self.SHARED
        self.levels = nn.ModuleList()
        width = F * D
        for level in range(self.LEVELS):
            final = level == self.LEVELS - 1
            experts = nn.ModuleList([nn.Sequential(nn.Linear(width, self.UNITS[level]), nn.ReLU()) for _ in range(count)])
            gates = nn.ModuleList([nn.Linear(width, self.OWN + self.SHARED) for _ in range(T)] + ([] if final else [nn.Linear(width, count)]))
            self.levels.append(nn.ModuleDict({'experts': experts, 'gates': gates}))
            width = self.UNITS[level]
        self.towers = nn.ModuleList([tower(width) for _ in range(T)])

    def forward(self, ids):
        x = torch.cat([self.emb[f](ids[:, f]) for f in range(F)], 1)
        task_in, shared_in = [x] * T, x
        shared = list(range(T * self.OWN, T * self.OWN + self.SHARED))
        for level, parts in enumerate(self.levels):
            final = level == self.LEVELS - 1
            group = [task_in[j // self.OWN] if j < T * self.OWN else shared_in for j in range(len(parts['experts']))]
            stacked = torch.stack([ex(group[j]) for j, ex in enumerate(parts['experts'])], 1)  # [B,E,d]
            outs = []
            for t in range(T):
                chosen = stacked[:, list(range(t * self.OWN, (t + 1) * self.OWN)) + shared]
                g = torch.softmax(parts['gates'][t](task_in[t]), 1)
                outs.append((g.unsqueeze(2) * chosen).sum(1))
            if not final:
                g = torch.softmax(parts['gates'][T](shared_in), 1)
                shared_in = (g.unsqueeze(2) * stacked).sum(1)
            task_in = outs
        return [self.towers[t](r) for t, r in enumerate(task_in)], []


class AITM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = embeddings()
        self.bottoms = nn.ModuleList([nn.Sequential(nn.Linear(F * D, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU()) for _ in range(T)])
        d = 128
        self.info = nn.ModuleList([nn.Linear(d, d) for _ in range(T - 1)])
        self.query = nn.ModuleList([nn.Linear(d, d, bias=False) for _ in range(T - 1)])
        self.key = nn.ModuleList([nn.Linear(d, d, bias=False) for _ in range(T - 1)])
        self.value = nn.ModuleList([nn.Linear(d, d, bias=False) for _ in range(T - 1)])
        self.heads = nn.ModuleList([nn.Linear(d, 1) for _ in range(T)])

    def forward(self, ids):
        x = torch.cat([self.emb[f](ids[:, f]) for f in range(F)], 1)
        own = [b(x) for b in self.bottoms]
        z = [own[0]]
        for k in range(T - 1):
            items = torch.stack([own[k + 1], torch.relu(self.info[k](z[k]))], 1)  # [B,2,d]: own, transferred
            q, key, v = self.query[k](items), self.key[k](items), self.value[k](items)
            w = torch.softmax((q * key).sum(-1) / math.sqrt(q.shape[-1]), 1)
            z.append((w.unsqueeze(2) * v).sum(1))
        return [self.heads[t](r) for t, r in enumerate(z)], []


class EKTM(nn.Module):
    """MMoE backbone; source ctr, targets the other tasks."""

    def __init__(self):
        super().__init__()
        self.backbone = MMoE()
        self.backbone.towers = None
        d, targets = 128, T - 1
        self.log_temperature = nn.Parameter(torch.zeros(()))
        self.transmit_mlp = nn.ModuleList([nn.Linear(d, d) for _ in range(targets)])
        self.transmit_gate = nn.ModuleList([nn.Linear(2 * d, d) for _ in range(targets)])
        self.enhance_gate = nn.ModuleList([nn.Linear(2 * d, d) for _ in range(targets)])
        self.original = nn.ModuleList([tower(d) for _ in range(targets)])
        self.towers = nn.ModuleList([tower(d) for _ in range(T)])

    def forward(self, ids):
        reps = self.backbone.representations(ids)
        source, targets = reps[0], torch.stack(reps[1:], 1)  # [B,d], [B,T',d]
        unit = targets / torch.sqrt((targets * targets).sum(-1, keepdim=True) + 1e-12)
        weights = torch.softmax(unit @ unit.transpose(1, 2) / torch.exp(self.log_temperature), -1)  # [B,T',T']
        routed = (weights @ targets + source.unsqueeze(1)) / (1 + targets.shape[1])
        fused, originals = [source], []
        for i in range(targets.shape[1]):
            f, r = reps[i + 1], routed[:, i]
            knowledge = torch.sigmoid(self.transmit_gate[i](torch.cat([r, f], 1))) * self.transmit_mlp[i](r)
            fused.append(f + torch.sigmoid(self.enhance_gate[i](torch.cat([f, knowledge], 1))) * knowledge)
            originals.append(self.original[i](f))
        return [self.towers[t](h) for t, h in enumerate(fused)], originals


rng = np.random.default_rng(12345)
hidden = rng.uniform(-1, 1, size=(F, V)).astype(np.float32)
fields = np.arange(F)


def make_batch():
    ids = np.floor(rng.random((B, F)) ** 2 * V).astype(np.int64)
    s = hidden[fields[None, :], ids]
    labels = [(s.sum(1) > 0), (s[:, 1::2].sum(1) > 0.5)]
    labels += [(s[:, fields % (k + 1) == 0].sum(1) > 0) for k in range(2, T)]
    return torch.from_numpy(ids), [torch.from_numpy(y.astype(np.float32))[:, None] for y in labels]


batches = [make_batch() for _ in range(4)]
model = {'mmoe': MMoE, 'ple': PLE, 'aitm': AITM, 'ektm': EKTM}[a.model]()
nparams = sum(p.numel() for p in model.parameters())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.BCEWithLogitsLoss()
losses = []


def total_loss(outs, originals, ys):
    loss = sum(lossf(z, y) for z, y in zip(outs, ys))
    for i, o in enumerate(originals):  # EKTM's targets: the original head's BCE and the hinge
        y = ys[i + 1]
        loss = loss + lossf(o, y)
        excess = fn.binary_cross_entropy_with_logits(outs[i + 1], y, reduction='none') - fn.binary_cross_entropy_with_logits(o, y, reduction='none').detach()
        loss = loss + torch.relu(excess).mean()
    return loss


def step(i):
    ids, ys = batches[i % 4]
    opt.zero_grad()
    outs, originals = model(ids)
    loss = total_loss(outs, originals, ys)
    loss.backward()
    opt.step()
    losses.append(loss.item())


t = time.perf_counter()
for i in range(a.warmup):
    step(i)
warm = time.perf_counter() - t
t, c = time.perf_counter(), time.process_time()
for i in range(a.steps):
    step(a.warmup + i)
train, train_cpu = time.perf_counter() - t, time.process_time() - c

model.eval()
with torch.no_grad():
    for i in range(2):
        [torch.sigmoid(z) for z in model(batches[i % 4][0])[0]]
    n = max(10, a.steps)
    t, c = time.perf_counter(), time.process_time()
    for i in range(n):
        [torch.sigmoid(z) for z in model(batches[i % 4][0])[0]]
    inf, inf_cpu = time.perf_counter() - t, time.process_time() - c

print(json.dumps({
    'model': a.model, 'tasks': T,
    'torch': torch.__version__, 'threads': torch.get_num_threads(), 'batch': B, 'steps': a.steps, 'params': nparams,
    'warmupSec': round(warm, 2), 'trainSamplesPerSec': round(B * a.steps / train), 'medianStepMs': round(1000 * train / a.steps, 1),
    'inferSamplesPerSec': round(B * n / inf), 'lossFirst': round(losses[0], 4), 'lossLast': round(losses[-1], 4),
    'peakRssMB': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    # Rows per CPU-second of the process (every thread): with one thread, a per-core measure less disturbed by load.
    'trainSamplesPerCpuSec': round(B * a.steps / train_cpu), 'inferSamplesPerCpuSec': round(B * n / inf_cpu),
}))
