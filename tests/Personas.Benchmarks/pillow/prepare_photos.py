#!/usr/bin/env python3
"""The photo pipeline written the straightforward way with Pillow and numpy, for a side-by-side benchmark.

Same checks as Personas' pipeline: decode, EXIF orientation, size and pixel gates, Laplacian-variance sharpness and
exposure at a 640 px analysis size, a difference hash, then a 1024x1024 crop encoded as JPEG q92 without metadata.
Pillow and numpy have no face detector, so the crop is an upper-centre square; that makes this side do less work.
Runs THREADS photos at a time (default 1: a plain loop); with one thread per core Pillow scales well, because it
releases the GIL while decoding and resampling.

usage: prepare_photos.py IN_DIR OUT_DIR [THREADS]     prints: pillow photos-per-second N
"""
import io
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = 50_000_000


def prepare(path, out_dir):
    with open(path, "rb") as f:
        data = f.read()
    if not 10 * 1024 <= len(data) <= 15 * 1024 * 1024:
        return False
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    width, height = image.size
    if min(width, height) < 512:
        return False

    gray = image.convert("L")
    analysis = gray.copy()
    analysis.thumbnail((640, 640), Image.Resampling.BOX)
    a = np.asarray(analysis, dtype=np.int32)
    laplacian = a[1:-1, :-2] + a[1:-1, 2:] + a[:-2, 1:-1] + a[2:, 1:-1] - 4 * a[1:-1, 1:-1]
    sharpness = float(laplacian.var())
    histogram = np.bincount(a.ravel(), minlength=256)
    levels = np.arange(256)
    mean = float((histogram * levels).sum() / a.size)
    contrast = float(np.sqrt(max(0.0, (histogram * levels * levels).sum() / a.size - mean * mean)))
    crushed = histogram[:6].sum() / a.size
    blown = histogram[250:].sum() / a.size
    small = np.asarray(analysis.resize((9, 8), Image.Resampling.BOX), dtype=np.int16)
    dhash = int("".join("1" if b else "0" for b in (small[:, :-1] < small[:, 1:]).ravel()), 2)

    side = int(min(width, height) * 0.6)
    left, top = (width - side) // 2, max(0, int(height * 0.3) - side // 2)
    crop = image.crop((left, top, left + side, top + side)).resize((1024, 1024), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    crop.save(out, "JPEG", quality=92, optimize=True)
    with open(os.path.join(out_dir, os.path.basename(path)), "wb") as f:
        f.write(out.getvalue())
    return sharpness >= 0 and mean >= 0 and contrast >= 0 and crushed >= 0 and blown >= 0 and dhash >= 0


def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    os.makedirs(out_dir, exist_ok=True)
    files = sorted(os.path.join(in_dir, f) for f in os.listdir(in_dir) if not f.startswith("."))
    prepare(files[0], out_dir)  # warm-up, as the C# side does
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(lambda p: prepare(p, out_dir), files))
    elapsed = time.perf_counter() - start
    print(f"pillow photos-per-second {len(files) / elapsed:.2f}")


if __name__ == "__main__":
    main()
