#!/usr/bin/env python3
"""Write tests/fixtures/pdf/* from samples/pdf-fonts/a_cid_stsong.pdf (needs `pip install pypdf`;
the fixtures are committed, so tests and CI do not need it).

  unruled_stsong.pdf                 the same table with its ruling lines removed (stream table)
  encrypted_empty_password.pdf       AES-128, empty user password, owner password set
  encrypted_rc4_empty_password.pdf   RC4-128, empty user password
  encrypted_user_password.pdf        AES-128, user password "secret"
"""
import re
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

SRC = "samples/pdf-fonts/a_cid_stsong.pdf"
OUT = "tests/fixtures/pdf/"

w = PdfWriter(clone_from=PdfReader(SRC))
page = w.pages[0]
data = page.get_contents().get_data().decode("latin1")
kept = "\n".join(l for l in data.split("\n") if not re.fullmatch(r"n [\d. ]+ m [\d. ]+ l S", l))
assert kept != data, "no ruling lines found"
s = DecodedStreamObject()
s.set_data(kept.encode("latin1"))
page[NameObject("/Contents")] = w._add_object(s)
w.write(OUT + "unruled_stsong.pdf")

for name, user, alg in [
    ("encrypted_empty_password.pdf", "", "AES-128"),
    ("encrypted_rc4_empty_password.pdf", "", "RC4-128"),
    ("encrypted_user_password.pdf", "secret", "AES-128"),
]:
    w = PdfWriter(clone_from=PdfReader(SRC))
    w.encrypt(user_password=user, owner_password="owner-secret", algorithm=alg)
    w.write(OUT + name)
