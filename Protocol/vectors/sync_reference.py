#!/usr/bin/env python3
"""A second implementation of the sync wire format (Protocol/SYNC.md), written from the spec.

    python3 Protocol/vectors/sync_reference.py

Checks Protocol/vectors/sync.json: every deflated frame inflates (with the preset dictionary)
to its plain bytes; every batch parses, its events rebuild to exactly the canonical bytes and
ids of events.json, and each run's signature verifies; the signed request verifies.
"""
import hashlib
import json
import sys
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HERE = Path(__file__).resolve().parent
DICTIONARY = (HERE.parent / "sync-dictionary.txt").read_bytes()
# tag -> type, as in EVENTS.md 2.3
TYPES = {1: "text", 2: "u8", 3: "date", 4: "date", 5: "text", 6: "svarint", 7: "svarint", 8: "text", 9: "text",
         10: "u8", 11: "text", 12: "text", 13: "text", 14: "text", 15: "uvarint", 16: "text", 17: "text",
         18: "parents", 19: "date", 20: "text", 21: "uvarint", 22: "uvarint", 23: "text", 24: "text",
         25: "profile", 26: "date", 27: "text", 28: "text", 29: "id", 30: "id", 31: "evidence", 32: "text",
         33: "text", 34: "date", 35: "id", 36: "changes", 37: "text", 38: "text"}


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def raw(self, n):
        if self.at + n > len(self.data):
            raise ValueError("truncated")
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def byte(self):
        return self.raw(1)[0]

    def uvarint(self):
        value, shift = 0, 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            if b < 0x80:
                return value
            shift += 7

    def svarint(self):
        n = self.uvarint()
        return (n >> 1) ^ -(n & 1)


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def copy_value(reader, kind, table):
    """Reads one value in wire form and returns its canonical bytes."""
    start = reader.at
    if kind == "text":
        reader.raw(reader.uvarint())
    elif kind == "u8":
        reader.byte()
    elif kind == "date":
        reader.raw(4)
    elif kind in ("uvarint", "svarint"):
        reader.uvarint()
    elif kind == "profile":
        for _ in range(reader.uvarint()):
            reader.raw(reader.uvarint())
            reader.uvarint()
            reader.uvarint()
    elif kind == "parents":
        flags = reader.byte()
        for bit in (1, 2):
            if flags & bit:
                copy_value(reader, "profile", table)
    elif kind == "evidence":
        reader.raw(reader.uvarint())
    elif kind == "changes":
        out = bytearray(uvarint(count := reader.uvarint()))
        for _ in range(count):
            tag = reader.byte()
            op = reader.byte()
            out += bytes([tag, op])
            if op == 1:
                out += copy_value(reader, TYPES[tag], table)
        return bytes(out)
    elif kind == "id":
        form = reader.byte()
        return reader.raw(32) if form == 0 else table[reader.uvarint()]
    return reader.data[start:reader.at]


def parse_batch(plain, held_ids):
    reader = Reader(plain)
    assert reader.raw(4) == b"RSY1" and reader.byte() == 4
    origins = [reader.raw(32) for _ in range(reader.uvarint())]
    table = []
    for _ in range(reader.uvarint()):
        origin, seq = origins[reader.uvarint()], reader.uvarint()
        table.append(held_ids[(origin, seq)])
    runs = []
    for _ in range(reader.uvarint()):
        origin, start, prev = reader.raw(32), reader.uvarint(), reader.raw(32)
        count, signature = reader.uvarint(), reader.raw(64)
        clock, events = 0, []
        for i in range(count):
            kind = reader.byte()
            clock += reader.svarint()
            fields = Reader(reader.raw(reader.uvarint()))
            canonical = bytearray(uvarint(n := fields.uvarint()))
            for _ in range(n):
                tag = fields.byte()
                canonical += bytes([tag]) + copy_value(fields, TYPES[tag], table)
            body = bytes([1]) + origin + uvarint(start + i) + prev + clock.to_bytes(8, "big") + bytes([kind]) + bytes(canonical)
            events.append(body)
            prev = hashlib.sha256(body).digest()
        Ed25519PublicKey.from_public_bytes(origin).verify(signature, events[-1])
        runs.append(events)
    assert reader.byte() in (0, 1) and reader.at == len(plain)
    return runs


def main():
    vectors = json.loads((HERE / "sync.json").read_text(encoding="utf-8"))
    events = json.loads((HERE / "events.json").read_text(encoding="utf-8"))
    origin = bytes.fromhex(events["nodeId"])
    by_id = {bytes.fromhex(v["id"]): bytes.fromhex(v["bytes"]) for v in events["valid"]}
    held = {(origin, v["seq"]): bytes.fromhex(v["id"]) for v in events["valid"]}
    passed = failed = 0
    for message in vectors["messages"]:
        plain, deflated = bytes.fromhex(message["plain"]), bytes.fromhex(message["deflated"])
        inflater = zlib.decompressobj(zdict=DICTIONARY)
        ok = inflater.decompress(deflated) + inflater.flush() == plain
        if ok and plain[4] == 4:
            for run in parse_batch(plain, held):
                ok = ok and all(by_id.get(hashlib.sha256(body).digest()) == body for body in run)
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        if not ok:
            print(f"FAIL {message['name']}")
    request = vectors["request"]
    headers = request["headers"]
    text = "reunite-sync-request/v1\n{}\n{}\n{}\n{}\n{}".format(
        request["method"], request["path"], headers["Reunite-Time"], headers["Reunite-Nonce"],
        hashlib.sha256(bytes.fromhex(request["body"])).hexdigest())
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(headers["Reunite-Node"])).verify(
        bytes.fromhex(headers["Reunite-Signature"]), text.encode())
    passed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
