import gzip

import pytest

from cleaner.decoding import decode
from cleaner.errors import InputError

TEXT = "Привет, мир. Ça va? Grüße — 東京\n"


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    TEXT.encode("utf-16"),
    gzip.compress(TEXT.encode("utf-8")),
])
def test_decodes_unicode_forms(data: bytes) -> None:
    assert decode(data) == TEXT


def test_legacy_encodings_are_detected() -> None:
    ru = ("Французская полиция закрыла сервис, использовавшийся преступниками. " * 5).encode("cp1251")
    assert decode(ru).startswith("Французская")
    fr = ("Le ministre de l'intérieur a salué l'opération, révélant les arrestations. " * 5).encode("cp1252")
    assert "intérieur" in decode(fr)


def test_forced_encoding() -> None:
    assert decode("été".encode("latin-1"), encoding="latin-1") == "été"
    with pytest.raises(InputError, match="unknown encoding"):
        decode(b"x", encoding="nope")


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (b"abc\x00def", "NUL"),
])
def test_binary_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(InputError, match=what):
        decode(data)


def test_size_limit_and_gzip_bomb() -> None:
    with pytest.raises(InputError, match="size limit"):
        decode(b"a" * 101, max_bytes=100)
    bomb = gzip.compress(b"a" * 10_000)
    with pytest.raises(InputError, match="size limit"):
        decode(bomb, max_bytes=1000)


@pytest.mark.parametrize("text, enc", [
    ("市は来年度から学校給食を無償化すると発表した。保護者からは歓迎の声が上がっている。" * 3, "shift_jis"),
    ("市政府宣布明年起学校午餐免费，家长们对此表示欢迎。这项政策将惠及全市两万名学生。" * 3, "gb18030"),
])
def test_cjk_legacy_encodings_are_detected(text: str, enc: str) -> None:
    assert decode(text.encode(enc)) == text
