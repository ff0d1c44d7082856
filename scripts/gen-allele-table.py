#!/usr/bin/env python3
"""Embeds Protocol/allele-frequencies.txt in Sources/Matching/AlleleFrequencies+Table.swift, so
the pure matching core needs no file at run time. A test checks the two stay equal."""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
text = (root / "Protocol/allele-frequencies.txt").read_text(encoding="utf-8")
assert '"""' not in text and "\\" not in text
body = "".join("        " + line + "\n" if line else "\n" for line in text.rstrip("\n").split("\n"))
(root / "Sources/Matching/AlleleFrequencies+Table.swift").write_text(
    "// The text of Protocol/allele-frequencies.txt, byte for byte (a test compares them).\n"
    "// Regenerate with scripts/gen-allele-table.py.\n\n"
    "extension AlleleFrequencies {\n"
    '    static let tableText = """\n' + body + '        """\n}\n',
    encoding="utf-8",
)
