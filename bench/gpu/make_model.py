"""The test model's exact shape with every weight zero: its header, then zeros to its full size."""

import sys

header, total, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(header, "rb") as src, open(out, "wb") as dst:
    dst.write(src.read())
    dst.truncate(total)
print("wrote", out, total, "bytes")
