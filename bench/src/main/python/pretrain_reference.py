#!/usr/bin/python3
"""PyTorch-eager reference for `./plm4j bench pretrain`.

The same masked-LM training step as plm4j's Pretrainer: a post-LayerNorm BERT encoder (word +
position + token-type embeddings, LayerNorm, dropout; per layer fused QKV, scaled dot-product
attention with an additive padding mask, output projection, dropout, residual + LayerNorm, GELU
FFN, dropout, residual + LayerNorm), an MLM head (dense, GELU, LayerNorm, decoder tied to the word
embeddings + bias) evaluated at the masked positions only, sparse cross-entropy, AdamW with
decoupled weight decay (not on biases/LayerNorm), global gradient clipping at 1.0, linear warm-up.
15 % of the non-special tokens are selected (80/10/10) per batch.

Prints one JSON line: {"tokens_per_second": ..., "seconds_per_step": ..., "matmul_gflops": ...}.
Run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; uses 2 threads.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_info import blas


class Layer(nn.Module):
    def __init__(self, h, heads, ffn, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(h, 3 * h)
        self.out = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.ffn1 = nn.Linear(h, ffn)
        self.ffn2 = nn.Linear(ffn, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.p = p

    def forward(self, x, additive):
        b, t, h = x.shape
        dh = h // self.heads
        qkv = self.qkv(x).view(b, t, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] / math.sqrt(dh), qkv[1], qkv[2]
        probs = F.dropout((q @ k.transpose(-1, -2) + additive).softmax(-1), self.p, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(F.dropout(self.out(ctx), self.p, self.training) + x)
        y = F.dropout(self.ffn2(F.gelu(self.ffn1(x))), self.p, self.training)
        return self.ln2(y + x)


class Bert(nn.Module):
    def __init__(self, vocab, h, layers, heads, ffn, positions, p=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, h)
        self.pos = nn.Embedding(positions, h)
        self.token_type = nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList([Layer(h, heads, ffn, p) for _ in range(layers)])
        self.head = nn.Linear(h, h)
        self.head_ln = nn.LayerNorm(h, eps=1e-12)
        self.bias = nn.Parameter(torch.zeros(vocab))
        self.p = p
        for name, w in self.named_parameters():
            if name.endswith("weight") and "ln" not in name:
                nn.init.trunc_normal_(w, std=0.02, a=-0.04, b=0.04)

    def loss(self, ids, attention, positions, labels):
        b, t = ids.shape
        x = self.word(ids) + self.pos.weight[:t] + self.token_type.weight[0]
        x = F.dropout(self.ln(x), self.p, self.training)
        additive = ((attention - 1.0) * 1e9).view(b, 1, 1, t)
        for layer in self.layers:
            x = layer(x, additive)
        sel = x.reshape(b * t, -1)[positions]
        sel = self.head_ln(F.gelu(self.head(sel)))
        logits = F.linear(sel, self.word.weight, self.bias)
        return F.cross_entropy(logits, labels)


def mask(batch, vocab, gen, special=5, p=0.15):
    ids = batch.clone()
    cand = ids >= special
    sel = (torch.rand(ids.shape, generator=gen) < p) & cand
    positions = sel.view(-1).nonzero().squeeze(1)
    labels = ids.view(-1)[positions]
    u = torch.rand(positions.shape, generator=gen)
    flat = ids.view(-1)
    flat[positions[u < 0.8]] = 4
    rnd = positions[(u >= 0.8) & (u < 0.9)]
    flat[rnd] = torch.randint(special, vocab, rnd.shape, generator=gen)
    return ids, positions, labels


def matmul_gflops():
    a = np.random.rand(2048, 2048).astype(np.float32)
    b = np.random.rand(2048, 2048).astype(np.float32)
    a @ b
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        a @ b
        best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=8000)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    gen = torch.Generator().manual_seed(1)
    model = Bert(a.vocab, a.hidden, a.layers, a.heads, a.ffn, a.seq)
    model.train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "ln" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "ln" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=5e-4, betas=(0.9, 0.999), eps=1e-6)
    total = a.warmup + a.steps
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / max(1, total // 10)))
    attention = torch.ones(a.batch, a.seq)
    t0 = None
    for step in range(total):
        if step == a.warmup:
            t0 = time.perf_counter()
        batch = torch.randint(5, a.vocab, (a.batch, a.seq), generator=gen)
        batch[:, 0] = 2
        batch[:, -1] = 3
        ids, positions, labels = mask(batch, a.vocab, gen)
        loss = model.loss(ids, attention, positions, labels)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if not math.isfinite(loss.item()):
            raise SystemExit("loss became " + str(loss.item()))
    secs = (time.perf_counter() - t0) / a.steps
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"tokens_per_second": a.batch * a.seq / secs, "seconds_per_step": secs,
                      "parameters": params, "matmul_gflops": matmul_gflops(),
                      "torch": torch.__version__, "blas": blas(), "last_loss": loss.item()}))


if __name__ == "__main__":
    main()
