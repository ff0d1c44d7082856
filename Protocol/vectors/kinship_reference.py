#!/usr/bin/env python3
"""A second, independent implementation of the DNA comparison in Protocol/MATCHING.md ("DNA").

    python3 Protocol/vectors/kinship_reference.py generate   # rewrite kinship.json
    python3 Protocol/vectors/kinship_reference.py check      # re-derive every vector and compare

It shares no code with the Swift implementation (Sources/Matching/Kinship.swift), only
Protocol/allele-frequencies.txt; the Swift tests read the same kinship.json. A laboratory's or
another register's implementation can check itself against kinship.json the same way: for each
vector, the child's profile against the mother's and/or father's gives `log10CombinedIndex`
(to 1e-9), `lociCompared`, `inconsistentLoci` and `decision`, or no result when no locus can
be compared. Standard library only.
"""
import json
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = HERE.parent / "allele-frequencies.txt"
VECTORS = HERE / "kinship.json"

PATERNAL_RATE = 0.002  # a father passes on a mutated allele at a locus
MATERNAL_RATE = 0.0005
STEP_FACTOR = 0.1  # each further repeat, and a part-repeat change, is ten times rarer
THETA = 0.03  # population substructure
TOLERANCE = 1e-9  # on log10 of the combined index


def read_table():
    """{locus: (listed frequency by allele in tenths of a repeat, floor 5/2N)}."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        locus, pairs = line.split("\t")
        listed = {}
        for pair in pairs.split(" "):
            allele, frequency = pair.split("=")
            listed[round(float(allele) * 10)] = float(frequency)
        # No sample size is given: the smallest listed frequency is one allele in 2N.
        table[locus] = (listed, 5 * min(listed.values()))
    return table


def tenths(genotype):
    return tuple(round(float(allele) * 10) for allele in genotype)


def frequency(table, locus, allele):
    listed, floor = table[locus]
    p = max(listed.get(allele, 0.0), floor)
    return THETA + (1 - THETA) * p


def pass_on(own, allele, rate):
    """The chance a parent's allele `own` reaches the child as `allele`, this allele chosen."""
    if own == allele:
        return 0.5 * (1 - rate)
    difference = abs(own - allele)
    steps = max((difference + 9) // 10, 1)
    chance = 0.5 * rate * 0.5 * (1 - STEP_FACTOR) * STEP_FACTOR ** (steps - 1)
    return chance if difference % 10 == 0 else chance * STEP_FACTOR


def transmission(parent, allele, rate):
    return pass_on(parent[0], allele, rate) + pass_on(parent[1], allele, rate)


def consistent(child, mother, father):
    def has(parent, allele):
        return allele in parent

    if mother and father:
        return (has(mother, child[0]) and has(father, child[1])) or (
            has(mother, child[1]) and has(father, child[0]))
    one = mother or father
    return has(one, child[0]) or has(one, child[1])


def locus_index(table, locus, child, mother, father):
    a, b = child
    p, q = frequency(table, locus, a), frequency(table, locus, b)
    if mother and father:
        m0, f0 = transmission(mother, a, MATERNAL_RATE), transmission(father, a, PATERNAL_RATE)
        if a == b:
            return m0 * f0 / (p * p)
        m1, f1 = transmission(mother, b, MATERNAL_RATE), transmission(father, b, PATERNAL_RATE)
        return (m0 * f1 + m1 * f0) / (2 * p * q)
    one, rate = (mother, MATERNAL_RATE) if mother else (father, PATERNAL_RATE)
    t0 = transmission(one, a, rate)
    if a == b:
        return t0 / p
    t1 = transmission(one, b, rate)
    return (t0 * q + t1 * p) / (2 * p * q)


def compare(table, child, mother, father):
    """The result for profiles {locus: [allele, allele]}, or None when nothing is compared."""
    if mother is None and father is None:
        return None
    log10_index = 0.0
    compared = 0
    inconsistent = []
    for locus, genotype in child.items():
        if locus not in table:
            continue
        # A locus is compared only when every parent given has typed it.
        if (mother is not None and locus not in mother) or (father is not None and locus not in father):
            continue
        c = tenths(genotype)
        m = tenths(mother[locus]) if mother is not None else None
        f = tenths(father[locus]) if father is not None else None
        log10_index += math.log10(locus_index(table, locus, c, m, f))
        compared += 1
        if not consistent(c, m, f):
            inconsistent.append(locus)
    if compared == 0:
        return None
    if len(inconsistent) >= 3:
        decision = "excludesParentage"
    elif log10_index >= 4:
        decision = "supportsParentage"
    else:
        decision = "typeMoreLoci"
    parents = "mother and father" if mother is not None and father is not None else (
        "mother" if mother is not None else "father")
    return {"parents": parents, "log10CombinedIndex": log10_index, "lociCompared": compared,
            "inconsistentLoci": sorted(inconsistent), "decision": decision}


# ---------------------------------------------------------------------------------------------
# The vectors: a few written by hand for each rule, then families drawn from the table.

GOLDENEYE = ["D3S1358", "D13S317", "D7S820", "D16S539", "Penta E", "D2S1338", "D19S433", "vWA", "TPOX",
             "D18S51", "D5S818", "FGA", "D6S1043", "D8S1179", "D21S11", "TH01", "CSF1PO", "Penta D",
             "D12S391"]


def number(t):
    """An allele in tenths as JSON writes it: 15, or 9.3."""
    return t // 10 if t % 10 == 0 else t / 10


def by_hand():
    return [
        ("one locus, mother only, heterozygous child", "the child's 15 from the mother's 15",
         {"D3S1358": [15, 17]}, {"D3S1358": [15, 16]}, None),
        ("homozygous child, homozygous father", "t_p / p with the father passing 8 either way",
         {"TPOX": [8, 8]}, None, {"TPOX": [8, 8]}),
        ("trio, heterozygous child", "(t_M(p) t_F(q) + t_M(q) t_F(p)) / 2pq",
         {"vWA": [14, 18], "TH01": [7, 9.3]}, {"vWA": [14, 17], "TH01": [7, 9]},
         {"vWA": [16, 18], "TH01": [6, 9.3]}),
        ("one-repeat paternal mutation", "father 16/17, child 15/15 with a mother 15/16: inconsistent",
         {"D18S51": [15, 15], "FGA": [22, 24]}, {"D18S51": [15, 16], "FGA": [22, 23]},
         {"D18S51": [16, 17], "FGA": [21, 24]}),
        ("two-repeat maternal mutation", "ten times rarer than one repeat",
         {"D21S11": [28, 30]}, {"D21S11": [32, 33.2]}, None),
        ("part-repeat change", "9.3 to 10 is a part of a repeat: ten times rarer again",
         {"TH01": [10, 6]}, {"TH01": [9.3, 8]}, None),
        ("allele the table lists below the floor", "CSF1PO 16 is listed at 0.0001, floored at 5/2N",
         {"CSF1PO": [16, 12]}, {"CSF1PO": [16, 10]}, None),
        ("allele the table does not list", "vWA 25 is floored at 5/2N",
         {"vWA": [25, 17]}, None, {"vWA": [25, 16]}),
        ("locus missing in the parent", "D5S818 is typed in the child only and is not compared",
         {"D5S818": [11, 12], "D8S1179": [13, 14]}, {"D8S1179": [13, 15]}, None),
        ("trio locus typed in one parent only", "D7S820 is skipped rather than scored as a duo",
         {"D7S820": [10, 11], "D13S317": [8, 11]}, {"D7S820": [10, 12], "D13S317": [8, 9]},
         {"D13S317": [11, 12]}),
        ("locus the table lacks", "D21S2055 is a known locus without frequencies: not compared",
         {"D21S2055": [20, 21], "D16S539": [9, 11]}, {"D21S2055": [20, 22], "D16S539": [11, 12]}, None),
        ("nothing to compare", "the only locus is missing in the mother: no result",
         {"Penta D": [9, 12]}, {"Penta E": [11, 15]}, None),
        ("three inconsistent loci", "excluded, whatever the index",
         {"D3S1358": [15, 17], "vWA": [14, 18], "FGA": [22, 24], "TH01": [7, 9]},
         {"D3S1358": [18, 19], "vWA": [15, 16], "FGA": [20, 21], "TH01": [7, 8]}, None),
    ]


def draw(rng, table, locus):
    listed, _ = table[locus]
    alleles = sorted(listed)
    return rng.choices(alleles, weights=[listed[a] for a in alleles])[0]


def families(table, count, seed):
    """Random families over the Goldeneye-like kit: each with the child's profile and the
    mother's and father's, and a few with a forced mutation or an unrelated parent."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        mother = {locus: [draw(rng, table, locus), draw(rng, table, locus)] for locus in GOLDENEYE}
        father = {locus: [draw(rng, table, locus), draw(rng, table, locus)] for locus in GOLDENEYE}
        child = {locus: [rng.choice(mother[locus]), rng.choice(father[locus])] for locus in GOLDENEYE}
        kind = n % 5
        note = "a child of these parents"
        if kind == 3:
            locus = rng.choice(GOLDENEYE)
            child[locus][1] += 10 if rng.random() < 0.5 or child[locus][1] < 20 else -10
            note = f"a child of these parents with a one-repeat paternal mutation at {locus}"
        if kind == 4:
            mother = {locus: [draw(rng, table, locus), draw(rng, table, locus)] for locus in GOLDENEYE}
            father = {locus: [draw(rng, table, locus), draw(rng, table, locus)] for locus in GOLDENEYE}
            note = "a child and unrelated adults"
        shown = lambda profile: {locus: [number(a) for a in g] for locus, g in profile.items()}
        given = n % 3  # mother, father, both
        out.append((f"family {n + 1}", note, shown(child),
                    shown(mother) if given in (0, 2) else None, shown(father) if given in (1, 2) else None))
    return out


def vectors(table):
    made = []
    for name, note, child, mother, father in by_hand() + families(table, 24, 2026):
        made.append({"name": name, "note": note, "child": child, "mother": mother, "father": father,
                     "result": compare(table, child, mother, father)})
    return made


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "check"
    table = read_table()
    if mode == "generate":
        document = {
            "about": "DNA comparisons for Protocol/MATCHING.md (DNA), with the frequencies of "
                     "Protocol/allele-frequencies.txt. Alleles in repeats; mother or father null when not "
                     "given; result null when no locus can be compared. log10CombinedIndex to 1e-9.",
            "vectors": vectors(table),
        }
        VECTORS.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(document['vectors'])} vectors to {VECTORS}")
        return
    document = json.loads(VECTORS.read_text(encoding="utf-8"))
    failures = 0
    for vector in document["vectors"]:
        got = compare(table, vector["child"], vector["mother"], vector["father"])
        want = vector["result"]
        same = (got is None and want is None) or (
            got is not None and want is not None
            and abs(got["log10CombinedIndex"] - want["log10CombinedIndex"]) <= TOLERANCE
            and all(got[key] == want[key] for key in ("parents", "lociCompared", "inconsistentLoci", "decision")))
        if not same:
            failures += 1
            print(f"MISMATCH {vector['name']}: {got} against {want}")
    if failures:
        sys.exit(f"{failures} of {len(document['vectors'])} kinship vectors differ")
    print(f"{len(document['vectors'])} kinship vectors re-derived")


if __name__ == "__main__":
    main()
