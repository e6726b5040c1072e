"""Reference encoder of ektm's ONNX preprocessing contract (preprocessing.json, written by `ektm export`).

Turns raw records (dicts keyed by the training data's column names) into the inputs of the exported model.onnx
exactly as ektm's Node preprocessor encodes them: vocabulary lookups, FNV-1a hash buckets, signed log1p,
standardisation, bucket boundaries and missing values. Standard library only; `feeds()` needs numpy.

    import onnxruntime as ort
    from ektm_preprocess import Encoder

    encoder = Encoder.load("out/onnx/preprocessing.json")
    session = ort.InferenceSession("out/onnx/model.onnx")
    scores = session.run(None, encoder.feeds([{"user_id": "u42", "item_price": 19.9}]))

From a shell, records as JSON lines in, the encoded inputs as one JSON object out (with --v2, as the body of a
KServe v2 / Triton inference request for the repository `ektm export --triton` writes):

    python3 ektm_preprocess.py out/onnx/preprocessing.json < records.jsonl
    python3 ektm_preprocess.py out/onnx/preprocessing.json --v2 < records.jsonl > request.json
"""

import bisect
import json
import math
import re
import struct
import sys

FORMAT = "ektm-onnx-preprocessing"
VERSION = 1

# ECMAScript's String.prototype.trim removes exactly these (WhiteSpace and LineTerminator); str.strip() differs.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# ektm's parseDecimal: an optional sign, digits with an optional fraction (or a fraction alone), an optional exponent.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_FLOAT32 = 3.4028234663852886e38


class EncodeError(ValueError):
    """A record that cannot be encoded; the message names the row (1-based) and the column."""


def fnv1a_utf16(value):
    """32-bit FNV-1a over the UTF-16 code units of a string (ektm's hash of categorical values)."""
    h = 0x811C9DC5
    data = value.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def js_number_string(x):
    """A number as JavaScript's String(x) writes it (how ektm reads a number given for a text column)."""
    if x != x:
        return "NaN"
    if x == 0:
        return "0"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x < 0:
        return "-" + js_number_string(-x)
    mantissa, _, exponent = repr(float(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= point <= 21:
        return digits + "0" * (point - k)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * (-point) + digits
    e = point - 1
    sign = "+" if e >= 0 else "-"
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return head + "e" + sign + str(abs(e))


def float32(x):
    """x rounded to the nearest float32, as a Python float (what a Float32Array stores)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _signed_log1p(x):
    return -math.log1p(-x) if x < 0 else math.log1p(x)


def _continuous(transforms, x):
    for t in transforms:
        if t["kind"] == "log1p":
            x = _signed_log1p(x)
        elif t["kind"] == "standardise":
            x = (x - t["mean"]) / t["std"]
    return x


class Encoder:
    """Encodes records into the graph's inputs with the vocabularies and statistics of preprocessing.json."""

    def __init__(self, contract):
        if not isinstance(contract, dict) or contract.get("format") != FORMAT:
            raise ValueError("not an ektm ONNX preprocessing contract (format is not %r)" % FORMAT)
        if contract.get("version") != VERSION:
            raise ValueError("preprocessing.json version %r is not supported; this encoder reads version %d" % (contract.get("version"), VERSION))
        self.contract = contract
        self.inputs = contract["inputs"]
        self.outputs = contract["outputs"]
        self._missing = set([""] + list(contract.get("missing", [])))
        self._vocabularies = {}
        for spec in self.inputs:
            if spec["encoding"]["kind"] == "vocabulary":
                self._vocabularies[spec["name"]] = {v: i + 1 for i, v in enumerate(spec["encoding"]["values"])}

    @classmethod
    def load(cls, path):
        """An encoder for the contract in the file `path`."""
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    def _text(self, value, row, key):
        """A record's value as ektm's preprocessor reads it: None for missing, else trimmed text."""
        if value is None:
            return None
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, (int, float)):
            if isinstance(value, float) and value != value:
                return None
            text = js_number_string(float(value))
        elif isinstance(value, str):
            text = value.strip(_JS_WHITESPACE)
        else:
            raise EncodeError("row %d: column %r: a %s is not a value" % (row, key, type(value).__name__))
        return None if text in self._missing else text

    def _number(self, text, row, key):
        if text is None:
            return math.nan
        if not _DECIMAL.fullmatch(text):
            raise EncodeError("row %d: column %r: %r is not a number" % (row, key, text))
        value = float(text)
        if math.isinf(value):
            raise EncodeError("row %d: column %r: %r is not a number" % (row, key, text))
        return value

    def _encode_one(self, spec, record, row):
        key = spec["recordKey"] if spec["recordKey"] is not None else spec["name"]
        encoding = spec["encoding"]
        kind = encoding["kind"]
        text = self._text(record.get(key), row, key)
        if kind == "vocabulary":
            return 0 if text is None else self._vocabularies[spec["name"]].get(text, 0)
        if kind == "hash":
            return 0 if text is None else 1 + fnv1a_utf16(text) % encoding["buckets"]
        if kind == "id":
            value = self._number(text, row, key)
            return int(value) if value == value and value == int(value) and 0 <= value < spec["vocabularySize"] else 0
        value = self._number(text, row, key)
        if kind == "buckets":
            if value != value:
                return 0
            return 1 + bisect.bisect_right(encoding["boundaries"], _continuous(encoding["transforms"], value))
        if kind == "numeric":
            return float32(encoding["fill"] if value != value else _continuous(encoding["transforms"], value))
        if kind == "value":
            if value != value:
                raise EncodeError("row %d: column %r: a value is required" % (row, key))
            return float32(value)
        raise ValueError("input %r: unknown encoding %r" % (spec["name"], kind))

    def encode(self, records):
        """The graph's inputs for a list of records, by input name: lists of ints (int64 inputs) or floats (float32)."""
        columns = {spec["name"]: [] for spec in self.inputs}
        for row, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                raise EncodeError("row %d: a record must be an object keyed by column name, not %s" % (row, type(record).__name__))
            for spec in self.inputs:
                columns[spec["name"]].append(self._encode_one(spec, record, row))
        return columns

    def v2_request(self, records):
        """The body of a KServe v2 / Triton inference request: every input as a [rows, 1] tensor, every task output asked for."""
        encoded = self.encode(records)
        return {
            "inputs": [
                {
                    "name": spec["name"],
                    "shape": [len(records), 1],
                    "datatype": "INT64" if spec["dtype"] == "int64" else "FP32",
                    "data": encoded[spec["name"]],
                }
                for spec in self.inputs
            ],
            "outputs": [{"name": name} for name in self.outputs],
        }

    def feeds(self, records):
        """`encode` as numpy arrays (int64 or float32, shape [rows]), ready for onnxruntime's `InferenceSession.run`."""
        import numpy as np

        dtypes = {spec["name"]: np.int64 if spec["dtype"] == "int64" else np.float32 for spec in self.inputs}
        return {name: np.asarray(values, dtype=dtypes[name]) for name, values in self.encode(records).items()}


def main(argv):
    v2 = "--v2" in argv[2:]
    if len(argv) < 2 or any(a != "--v2" for a in argv[2:]):
        sys.stderr.write("usage: python3 ektm_preprocess.py preprocessing.json [--v2] < records.jsonl > inputs.json\n")
        return 2
    encoder = Encoder.load(argv[1])
    records = [json.loads(line) for line in sys.stdin if line.strip()]
    try:
        encoded = encoder.v2_request(records) if v2 else encoder.encode(records)
    except EncodeError as error:
        sys.stderr.write("error: %s\n" % error)
        return 1
    json.dump(encoded, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
