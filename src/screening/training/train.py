#!/usr/bin/python3
"""Trains the baseline X-ray screening detector and exports it to ONNX.

Reproducible: the training and validation images come from the seeded TypeScript generator
(write-dataset.ts), the network is initialised and shuffled from a fixed torch seed, and torch runs
single-threaded in deterministic mode. Uses Debian's python3-torch, python3-onnx and python3-numpy;
nothing is downloaded.

    npm run build
    /usr/bin/python3 src/screening/training/train.py --work /tmp/screening-train --out data/screening

The network is a small CenterNet-style detector: a 128x128 RGB image goes through seven 3x3
convolution blocks (stride 8), then a class heatmap (5 x 16 x 16, sigmoid) and a box map
(4 x 16 x 16, sigmoid: centre offset within the cell, width and height as fractions of the image).
Per-class score thresholds are chosen on the validation set (best image-level F1) and written to
the model description next to the ONNX file.

Officers' reviews join the training set with --reviewed DIR (repeatable), a set written by
`parcelgate screen --export-labels DIR` in the same format: confirmed and added objects are
positives; rejected boxes stay background (hard negatives, listed under "negatives"). Each reviewed
image is repeated --reviewed-repeat times per epoch (default 3) so that a few hundred real images
weigh against thousands of generated ones. See docs/screening.md, "Retraining from reviews".
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
SIZE = 128
STRIDE = 8
GRID = SIZE // STRIDE


def dataset(work, name, count, seed):
    d = os.path.join(work, name)
    meta = os.path.join(d, 'labels.json')
    if os.path.exists(meta):
        m = json.load(open(meta))
        if m.get('count') == count and m.get('seed') == seed:
            return d
    script = os.path.join(ROOT, 'dist', 'src', 'screening', 'training', 'write-dataset.js')
    subprocess.run(['node', script, '--out', d, '--count', str(count), '--seed', seed, '--size', str(SIZE)],
                   check=True)
    return d


def load(d):
    m = json.load(open(os.path.join(d, 'labels.json')))
    images = np.fromfile(os.path.join(d, 'images.u8'), dtype=np.uint8).reshape(m['count'], 3, SIZE, SIZE)
    return images, m['images'], m['classes']


def load_reviewed(dirs, names, repeat):
    """Reviewed sets (parcelgate screen --export-labels), checked against the model's classes and input size,
    each image repeated `repeat` times. Returns images, labels and what the model description records."""
    images, labels, sets = [], [], []
    for d in dirs:
        path = os.path.join(d, 'labels.json')
        raw = open(path, 'rb').read()
        m = json.loads(raw)
        if m['classes'] != names or m['width'] != SIZE or m['height'] != SIZE:
            raise SystemExit(f'{d}: classes or size differ from the model ({m["classes"]}, {m["width"]}x{m["height"]})')
        x, entries, _ = load(d)
        images.extend([x] * repeat)
        labels.extend(entries * repeat)
        sets.append({'dir': os.path.basename(os.path.normpath(d)), 'images': m['count'],
                     'objects': sum(len(e['objects']) for e in entries),
                     'negatives': sum(len(e.get('negatives', [])) for e in entries),
                     'labelsSha256': hashlib.sha256(raw).hexdigest(), 'repeat': repeat})
        print(f'reviewed set {d}: {m["count"]} images, {sets[-1]["objects"]} objects, '
              f'{sets[-1]["negatives"]} rejected boxes', flush=True)
    if not images:
        return None, [], []
    return np.concatenate(images), labels, sets


def block(i, o, stride):
    return nn.Sequential(nn.Conv2d(i, o, 3, stride, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class Detector(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(
            block(3, 16, 2),
            block(16, 32, 2), block(32, 32, 1),
            block(32, 64, 2), block(64, 64, 1),
            nn.Sequential(nn.Conv2d(64, 64, 3, 1, 2, dilation=2, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)),
            nn.Sequential(nn.Conv2d(64, 64, 3, 1, 4, dilation=4, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True)),
        )
        self.heat = nn.Conv2d(64, classes, 1)
        self.box = nn.Conv2d(64, 4, 1)
        nn.init.constant_(self.heat.bias, -2.2)

    def forward(self, x):
        f = self.body(x)
        return torch.sigmoid(self.heat(f)), torch.sigmoid(self.box(f))


def targets(objects, classes, flip_x, flip_y):
    heat = np.zeros((classes, GRID, GRID), np.float32)
    box = np.zeros((4, GRID, GRID), np.float32)
    mask = np.zeros((GRID, GRID), np.float32)
    ys, xs = np.mgrid[0:GRID, 0:GRID]
    for o in objects:
        x0, y0, x1, y1 = o['box']
        if flip_x:
            x0, x1 = 1 - x1, 1 - x0
        if flip_y:
            y0, y1 = 1 - y1, 1 - y0
        cx, cy = (x0 + x1) / 2 * GRID, (y0 + y1) / 2 * GRID
        w, h = (x1 - x0), (y1 - y0)
        ix, iy = min(GRID - 1, int(cx)), min(GRID - 1, int(cy))
        sigma = max(0.5, 0.15 * max(w, h) * GRID)
        g = np.exp(-((xs + 0.5 - cx) ** 2 + (ys + 0.5 - cy) ** 2) / (2 * sigma * sigma))
        heat[o['class']] = np.maximum(heat[o['class']], g)
        heat[o['class'], iy, ix] = 1.0
        box[:, iy, ix] = [cx - ix, cy - iy, w, h]
        mask[iy, ix] = 1.0
    return heat, box, mask


def focal(pred, gt):
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    pos_loss = torch.log(pred) * (1 - pred) ** 2 * pos
    neg_loss = torch.log(1 - pred) * pred ** 2 * (1 - gt) ** 4 * neg
    n = pos.sum()
    return -(pos_loss.sum() + neg_loss.sum()) / torch.clamp(n, min=1.0)


def batch(images, labels, idx, classes, rng, augment):
    x = images[idx].astype(np.float32) / 255.0
    hs, bs, ms = [], [], []
    for k, i in enumerate(idx):
        fx = augment and rng.random() < 0.5
        fy = augment and rng.random() < 0.5
        if fx:
            x[k] = x[k][:, :, ::-1]
        if fy:
            x[k] = x[k][:, ::-1, :]
        h, b, m = targets(labels[i]['objects'], classes, fx, fy)
        hs.append(h)
        bs.append(b)
        ms.append(m)
    return (torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(np.stack(hs)),
            torch.from_numpy(np.stack(bs)), torch.from_numpy(np.stack(ms)))


def image_scores(model, images, classes):
    """Per image, per class: the highest heatmap value (the image-level score)."""
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(images), 100):
            x = torch.from_numpy(images[s:s + 100].astype(np.float32) / 255.0)
            heat, _ = model(x)
            out.append(heat.amax(dim=(2, 3)).numpy())
    return np.concatenate(out)


def choose_thresholds(scores, labels, names):
    thresholds = {}
    for c, name in enumerate(names):
        present = np.array([any(o['class'] == c for o in im['objects']) for im in labels])
        best = (0.0, 0.5)
        for t in np.arange(0.1, 0.91, 0.02):
            predicted = scores[:, c] >= t
            tp = np.sum(predicted & present)
            p = tp / max(1, predicted.sum())
            r = tp / max(1, present.sum())
            f1 = 0 if p + r == 0 else 2 * p * r / (p + r)
            if f1 > best[0] + 1e-9:
                best = (f1, float(round(t, 2)))
        thresholds[name] = best[1]
        print(f'  {name:20s} threshold {best[1]:.2f}  image-level F1 {best[0]:.3f}', flush=True)
    return thresholds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', default='/tmp/parcelgate-screening-train')
    ap.add_argument('--out', default=os.path.join(ROOT, 'data', 'screening'))
    ap.add_argument('--train-count', type=int, default=3000)
    ap.add_argument('--val-count', type=int, default=600)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--seed', type=int, default=2026)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--reviewed', action='append', default=[],
                    help='a reviewed set from parcelgate screen --export-labels (repeatable)')
    ap.add_argument('--reviewed-repeat', type=int, default=3)
    ap.add_argument('--version', default='1', help='model version written to the description')
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(args.seed)

    train_images, train_labels, names = load(dataset(args.work, 'train', args.train_count, 'screening-train'))
    val_images, val_labels, _ = load(dataset(args.work, 'val', args.val_count, 'screening-val'))
    reviewed_images, reviewed_labels, reviewed_sets = load_reviewed(args.reviewed, names, args.reviewed_repeat)
    if reviewed_images is not None:
        train_images = np.concatenate([train_images, reviewed_images])
        train_labels = train_labels + reviewed_labels
    classes = len(names)
    model = Detector(classes)
    params = sum(p.numel() for p in model.parameters())
    print(f'{params} parameters; {len(train_images)} training and {len(val_images)} validation images', flush=True)
    steps_per_epoch = (len(train_images) + args.batch - 1) // args.batch
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch,
                                                pct_start=0.15)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(len(train_images))
        total = 0.0
        for s in range(0, len(order), args.batch):
            x, heat, box, mask = batch(train_images, train_labels, order[s:s + args.batch], classes, rng, True)
            ph, pb = model(x)
            n = torch.clamp(mask.sum(), min=1.0)
            loss_box = (torch.abs(pb - box) * mask.unsqueeze(1)).sum() / n
            loss = focal(ph, heat) + 5.0 * loss_box
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        print(f'epoch {epoch + 1}/{args.epochs} loss {total / steps_per_epoch:.4f}  {time.time() - started:.0f}s',
              flush=True)

    print('thresholds (validation set):', flush=True)
    thresholds = choose_thresholds(image_scores(model, val_images, classes), val_labels, names)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, 'baseline.onnx')
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), onnx_path, input_names=['image'],
                      output_names=['heatmap', 'boxes'], opset_version=13,
                      dynamic_axes={'image': {0: 'n'}, 'heatmap': {0: 'n'}, 'boxes': {0: 'n'}})
    digest = hashlib.sha256(open(onnx_path, 'rb').read()).hexdigest()
    description = {
        'format': 'parcelgate-screening-model/1',
        'id': 'parcelgate-baseline',
        'version': args.version,
        'onnx': 'baseline.onnx',
        'sha256': digest,
        'input': {'name': 'image', 'width': SIZE, 'height': SIZE, 'channels': 'rgb', 'layout': 'nchw',
                  'scale': 1 / 255, 'mean': [0, 0, 0], 'std': [1, 1, 1]},
        'output': {'kind': 'centernet', 'heatmap': 'heatmap', 'boxes': 'boxes', 'stride': STRIDE},
        'labels': names,
        'thresholds': thresholds,
        'training': {
            'script': 'src/screening/training/train.py',
            'generator': 'src/screening/generate.ts',
            'trainSet': {'seed': 'screening-train', 'count': args.train_count},
            'validationSet': {'seed': 'screening-val', 'count': args.val_count},
            **({'reviewedSets': reviewed_sets} if reviewed_sets else {}),
            'epochs': args.epochs, 'batch': args.batch, 'torchSeed': args.seed, 'parameters': params,
            'torch': torch.__version__,
        },
    }
    with open(os.path.join(args.out, 'baseline.json'), 'w') as f:
        json.dump(description, f, indent=2)
        f.write('\n')
    print(f'wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes, sha256 {digest})', flush=True)


if __name__ == '__main__':
    sys.exit(main())
