#!/usr/bin/env python3
"""A second, independent implementation of the event encoding in Protocol/EVENTS.md.

    python3 Protocol/vectors/reference.py generate   # rewrite events.json from the drafts below
    python3 Protocol/vectors/reference.py check      # re-derive every vector and compare

It shares no code with the Swift implementation; the Swift tests read the same events.json.
Needs the `cryptography` package for Ed25519.
"""
import hashlib
import json
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

HERE = Path(__file__).resolve().parent
VECTORS = HERE / "events.json"

KINDS = {"abductionReported": 1, "childFound": 2, "sightingReported": 3, "identityMatched": 4,
         "matchRejected": 5, "reunited": 6, "corrected": 7, "retracted": 8}

# tag, type; the JSON name "dna" is tag 18 in abductionReported and 25 in childFound.
FIELDS = {
    "childName": (1, "text"), "sex": (2, "sex"), "born": (3, "date"), "missingSince": (4, "date"),
    "place": (5, "text"), "lat": (6, "coord"), "lon": (7, "coord"), "circumstances": (8, "text"),
    "marks": (9, "text"), "bloodType": (10, "blood"), "reporterName": (11, "text"),
    "reporterRelation": (12, "text"), "contact": (13, "text"), "otherNames": (14, "text"),
    "heightCm": (15, "tenths"), "policeCaseNumber": (16, "text"), "birthCertificate": (17, "text"),
    "dna/parents": (18, "parents"), "foundOn": (19, "date"), "name": (20, "text"),
    "ageMonths": (21, "uint"), "ageUncertaintyMonths": (22, "uint"), "custody": (23, "text"),
    "reportedBy": (24, "text"), "dna/child": (25, "profile"), "seenOn": (26, "date"),
    "description": (27, "text"), "sourceUrl": (28, "text"), "caseId": (29, "id"), "foundId": (30, "id"),
    "evidence": (31, "evidence"), "note": (32, "text"), "decidedBy": (33, "text"), "on": (34, "date"),
    "target": (35, "id"), "changes": (36, "changes"), "reason": (37, "text"),
    "recordedBy": (38, "text"),
}
EVIDENCE = ["dna", "photo", "marks", "documents", "testimony"]


def uvarint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def svarint(n):
    return uvarint((n << 1) ^ (n >> 63) if n < 0 else n << 1)


def text(s):
    b = s.encode("utf-8")
    return uvarint(len(b)) + b


def date(s):
    parts = [int(p) for p in s.split("-")] + [0, 0]
    return parts[0].to_bytes(2, "big") + bytes([parts[1], parts[2]])


def blood(s):
    rh = 1 if s.endswith("+") else 2 if s.endswith("-") else 0
    group = {"A": 1, "B": 2, "AB": 3, "O": 4}[s.rstrip("+-")]
    return bytes([group << 4 | rh])


def profile(p):
    out = uvarint(len(p))
    for locus in sorted(p, key=lambda k: k.encode("utf-8")):
        a, b = sorted(round(x * 10) for x in p[locus])
        out += text(locus) + uvarint(a) + uvarint(b)
    return out


def value(kind_name, name, v):
    key = "dna/parents" if name == "dna" and kind_name == "abductionReported" else "dna/child" if name == "dna" else name
    tag, typ = FIELDS[key]
    if typ == "text":
        enc = text(v)
    elif typ == "date":
        enc = date(v)
    elif typ == "sex":
        enc = bytes([{"unknown": 0, "male": 1, "female": 2}[v]])
    elif typ == "blood":
        enc = blood(v)
    elif typ == "coord":
        enc = svarint(round(v * 1_000_000))
    elif typ == "uint":
        enc = uvarint(v)
    elif typ == "tenths":
        enc = uvarint(round(v * 10))
    elif typ == "profile":
        enc = profile(v)
    elif typ == "parents":
        flags = (1 if "mother" in v else 0) | (2 if "father" in v else 0)
        enc = bytes([flags]) + b"".join(profile(v[k]) for k in ("mother", "father") if k in v)
    elif typ == "id":
        enc = bytes.fromhex(v)
    elif typ == "evidence":
        codes = sorted({EVIDENCE.index(e) + 1 for e in v})
        enc = uvarint(len(codes)) + bytes(codes)
    elif typ == "changes":
        target_kind = v["__kind__"]
        items = []
        for cname, cval in v.items():
            if cname == "__kind__":
                continue
            ctag, _ = FIELDS["dna/parents" if cname == "dna" and target_kind == "abductionReported" else
                             "dna/child" if cname == "dna" else cname]
            body = b"\x00" if cval is None else b"\x01" + value(target_kind, cname, cval)[1]
            items.append((ctag, bytes([ctag]) + body))
        enc = uvarint(len(items)) + b"".join(b for _, b in sorted(items))
    else:
        raise ValueError(typ)
    return tag, enc


def encode(origin, seq, prev, clock, kind_name, fields):
    out = bytes([1]) + origin + uvarint(seq) + (bytes.fromhex(prev) if prev else bytes(32))
    out += clock.to_bytes(8, "big") + bytes([KINDS[kind_name]])
    encoded = sorted(value(kind_name, n, v) for n, v in fields.items())
    out += uvarint(len(encoded)) + b"".join(bytes([t]) + e for t, e in encoded)
    return out


SEED = bytes(range(32))
# Drafts in chain order; {"ref": i} is replaced by the id of vector i.
DRAFTS = [
    ("a parent's report with Chinese text, a partial birth date, coordinates and both parents' DNA",
     "abductionReported",
     {"childName": "李小明", "sex": "male", "born": "2009-05", "missingSince": "2012-03-14",
      "place": "四川省成都市武侯区", "lat": 30.6424, "lon": 104.0433, "marks": "左脸有痣",
      "bloodType": "A+", "reporterName": "李建国", "reporterRelation": "father", "heightCm": 98.5,
      "dna": {"mother": {"D3S1358": [15, 16], "vWA": [17, 18], "D21S11": [30, 32.2]},
              "father": {"D3S1358": [15, 15], "TH01": [9.3, 7], "Penta E": [12, 20]}}}),
    ("a found child with an estimated age and a DNA profile", "childFound",
     {"foundOn": "2013-01", "place": "广东省深圳市", "lat": 22.5431, "lon": 114.0579, "sex": "male",
      "ageMonths": 44, "ageUncertaintyMonths": 6, "marks": "mole on left cheek", "reportedBy": "深圳市儿童医院",
      "dna": {"D3S1358": [15, 16], "TH01": [9.3, 9.3], "vWA": [17, 19]}}),
    ("a sighting in an online listing, about the case", "sightingReported",
     {"seenOn": "2012", "description": "listing offers a boy of about 3", "sourceUrl": "https://example.org/x",
      "caseId": {"ref": 0}}),
    ("a confirmed match with two kinds of evidence", "identityMatched",
     {"caseId": {"ref": 0}, "foundId": {"ref": 1}, "evidence": ["marks", "dna"], "decidedBy": "王护士"}),
    ("a reunion", "reunited", {"caseId": {"ref": 0}, "foundId": {"ref": 1}, "on": "2013-06-01"}),
    ("a correction that sets one field and clears another", "corrected",
     {"target": {"ref": 0}, "changes": {"__kind__": "abductionReported", "born": "2009-04", "heightCm": None},
      "reason": "checked against the household register"}),
    ("a rejected match", "matchRejected",
     {"caseId": {"ref": 0}, "foundId": {"ref": 1}, "note": "blood type differs", "decidedBy": "张医生"}),
    ("a retraction", "retracted", {"target": {"ref": 2}, "reason": "the listing was a scam"}),
    ("a sighting entered through the web, naming the staff member", "sightingReported",
     {"seenOn": "2013-02-11", "place": "东莞", "description": "a boy like the photo at the bus station",
      "caseId": {"ref": 0}, "recordedBy": "陈丽"}),
]
CLOCK0 = 1_764_000_000_000 << 16


def build():
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    origin = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    vectors, ids, prev = [], [], None
    for seq, (name, kind, fields) in enumerate(DRAFTS, start=1):
        def resolve(v):
            if isinstance(v, dict) and "ref" in v:
                return ids[v["ref"]]
            return v
        fields = {k: resolve(v) for k, v in fields.items()}
        clock = CLOCK0 + seq * 65_536 * 1000 + seq
        body = encode(origin, seq, prev, clock, kind, fields)
        event_id = hashlib.sha256(body).hexdigest()
        json_fields = {k: v for k, v in fields.items()}
        if "changes" in json_fields:
            json_fields["changes"] = {k: v for k, v in json_fields["changes"].items() if k != "__kind__"}
        vectors.append({"name": name, "seq": seq, "prev": prev, "clock": str(clock), "kind": kind,
                        "fields": json_fields, "bytes": body.hex(), "id": event_id,
                        "signature": key.sign(body).hex()})
        ids.append(event_id)
        prev = event_id
    return origin, vectors


def invalid(valid):
    first = bytes.fromhex(valid[0]["bytes"])
    found = bytes.fromhex(valid[1]["bytes"])
    cases = [
        ("unknown format version", bytes([2]) + first[1:]),
        ("truncated: the last byte is missing", first[:-1]),
        ("a byte after the event", first + b"\x00"),
        ("seq 0", first[:33] + b"\x00" + first[34:]),
        ("seq 1 with a non-zero prev", first[:34] + b"\x01" + first[35:]),
        ("unknown kind 9", first[:74] + b"\x09" + first[75:]),
        ("a non-minimal varint for seq (0x81 0x00)", first[:33] + b"\x81\x00" + first[34:]),
    ]
    # childFound without its required reportedBy: rebuild with that field dropped.
    f = dict(DRAFTS[1][2])
    del f["reportedBy"]
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    origin = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    cases.append(("childFound lacks the required reportedBy",
                  encode(origin, 2, valid[0]["id"], int(valid[1]["clock"]), "childFound", f)))
    # the same fields with two tags swapped out of order
    body = bytes.fromhex(valid[6]["bytes"])
    cases.append(("fields out of tag order", swap_last_two_fields(body)))
    cases.append(("a month 13 in a date", replace_once(found, date("2013-01"), bytes([0x07, 0xDD, 13, 0]))))
    cases.append(("a sex code 7", replace_once(found, bytes([2, 1]), bytes([2, 7]))))
    # -2^63, the farthest a signed varint reaches: a decoder taking its absolute value overflows.
    cases.append(("a latitude of -2^63 microdegrees", replace_once(found, svarint(22_543_100), svarint(-2**63))))
    return [{"name": n, "bytes": b.hex()} for n, b in cases]


def replace_once(body, old, new):
    i = body.index(old, 75)
    return body[:i] + new + body[i + len(old):]


def swap_last_two_fields(body):
    # matchRejected: tags 29, 30, 32, 33; move decidedBy (33) before note (32).
    head = body[:76]
    rest = body[76:]
    i32 = rest.index(bytes([32]) + text("blood type differs"))
    note = rest[i32:i32 + 1 + len(text("blood type differs"))]
    by = rest[i32 + len(note):]
    return head + rest[:i32] + by + note


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    origin, vectors = build()
    document = {
        "about": "Event vectors for Protocol/EVENTS.md. clock is a decimal string (it exceeds 2^53). The key is the Ed25519 seed 00 01 02 ... 1f. "
                 "Each valid vector's fields, with seq, prev and clock, encode to bytes; id is SHA-256 of "
                 "bytes; signature is Ed25519 over bytes. Each invalid vector must be refused by a decoder.",
        "seed": SEED.hex(),
        "nodeId": origin.hex(),
        "valid": vectors,
        "invalid": invalid(vectors),
    }
    if mode == "generate":
        VECTORS.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {len(vectors)} valid and {len(document['invalid'])} invalid vectors")
        return
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    problems = 0
    for mine, theirs in zip(document["valid"], stored["valid"]):
        for key in ("bytes", "id", "signature"):
            if mine[key] != theirs[key]:
                print(f"FAIL {theirs['name']}: {key} differs")
                problems += 1
        Ed25519PublicKey.from_public_bytes(origin).verify(bytes.fromhex(theirs["signature"]),
                                                          bytes.fromhex(theirs["bytes"]))
    if stored["nodeId"] != origin.hex() or len(stored["valid"]) != len(document["valid"]):
        print("FAIL node id or vector count differs")
        problems += 1
    print(f"{len(stored['valid']) - problems} passed, {problems} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
