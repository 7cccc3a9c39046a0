"""Golden bytes: sha256 of small `serialcomp generate` outputs (JSONL, Parquet, Parquet --raw) for every
registered key, against constants recorded here, and the same arguments giving the same bytes.

The Parquet bytes depend on the pyarrow version (its encoder, and its name in the footer) and every
file on the generators (numpy arithmetic), so the constants hold for the versions in RECORDED_WITH,
the ones constraints.txt pins. The serialcomp version stamped in the Parquet metadata is replaced by
a fixed string here, so a release does not change the constants. After an intended change (a
generator, the record format), regenerate them with

    python tests/problems/test_prob_export_golden.py

which rewrites GOLDEN below in place.
"""

import hashlib
import os
import tempfile

import numpy as np
import pyarrow
import pytest

from serialcomp.problems import list_problems

RECORDED_WITH = {"numpy": "2.4.6", "pyarrow": "26.0.1"}
SIZE = {"iadd": 5, "reach:random": 8, "cvp": 6, "ca:rule90": 9, "sudoku": 3, "timelock": 16, "reach:flower": 10}
COUNT, SEED, CHUNK = 6, 12345, 4
FORMATS = {"jsonl": ["--format", "jsonl"], "parquet": ["--format", "parquet"],
           "parquet_raw": ["--format", "parquet", "--raw"]}


def keys():
    return list_problems() + ["word:Z7"]


def argv(key, fmt, out, chunk=CHUNK):
    extra = ["--param", "prefix=true"] if key.startswith("word:") else []
    return (["generate", key, "--n", str(SIZE.get(key, 8)), "--count", str(COUNT), "--seed", str(SEED),
             "--chunk-size", str(chunk), "--out", out] + extra + FORMATS[fmt])


def outputs(key, chunk=CHUNK):
    """``{format: bytes}`` of `serialcomp generate` for ``key`` (in-process; version stamp fixed)."""
    from serialcomp.cli import main
    from serialcomp.problems.export import parquet as export  # the version stamp lives in the Parquet writer

    real = export._package_version
    export._package_version = lambda: "golden"
    try:
        got = {}
        with tempfile.TemporaryDirectory() as d:
            for fmt in FORMATS:
                out = os.path.join(d, f"out.{fmt}")
                assert main(argv(key, fmt, out, chunk)) == 0, (key, fmt)
                with open(out, "rb") as f:
                    got[fmt] = f.read()
        return got
    finally:
        export._package_version = real


def digest(data):
    return hashlib.sha256(data).hexdigest()


def installed():
    return {"numpy": np.__version__, "pyarrow": pyarrow.__version__}


# GOLDEN-BEGIN (written by scripts/regen_golden.py)
GOLDEN = {
    'add': {
        'jsonl': '8eaf8422de299381e98a57d4e38e269219bf39f4d91098db298de1822404e0e9',
        'parquet': 'bd831e369745adff5f6c63c01125ebf523c40f7470d47029737dd8ba8b936aed',
        'parquet_raw': 'fab24c09a7a889673516bf88ddaff241c4fb81411cf6a4c77622efc53e07143a',
    },
    'ca:rule110': {
        'jsonl': '13186155a2208fd14e7ae441c42ab20d20ccbb515897807bedc3b0e3fe75c026',
        'parquet': 'c5657d7b8b3d50c6e88b070d7b419d92d7df4045b96bd68fc5fe63c8e6f20308',
        'parquet_raw': '0f238b0ea96a447784a77007a5f7fc578cd809d006940fbe458a3f4e684f1fd6',
    },
    'ca:rule30': {
        'jsonl': '038db93167add9c49e98c1d2db2f42ce5850d168ed6953ded957e9f4f2146759',
        'parquet': 'c113a46bbe58a3240a0845cc9b6a37bf848372a45564a97bafae8ed5ec4841c0',
        'parquet_raw': 'b34122e3e294c69e18e45cc54f718cd52c229c2693ea7bca856d4255cac5b36c',
    },
    'ca:rule90': {
        'jsonl': '1076d85ef7010271dc8cce5d31e2f521b449b7f7cead3cbe0365f9b297930ddb',
        'parquet': '4b50d1819042a7b8c5a4ac8b25365624802d1fe0e080e02e900622dfef878f89',
        'parquet_raw': '7a64c66cd65cedc68f6f02dfd0f26445e0b2af42c8d1d1afcf1c9c8be9aeb74f',
    },
    'cvp': {
        'jsonl': '24cc542fedf6b6e9750aa6baf0ca7815e094a31beab55488098405ec362f2aa0',
        'parquet': 'b36a93a8776962cb1baa64ded918f8a0cafb5eb7c91339cf4339c7ce163c337e',
        'parquet_raw': 'ef460bd8428d21a3eae921c56e915e78d85ba65703552bccf2a9fbdf2e304291',
    },
    'iadd': {
        'jsonl': '1232270558328b6772ccd53c6fb74f84af4e2a5cecef4359f75d446cbe6f18ba',
        'parquet': 'ff3e1757282036c66c0299c6bad1af26d4cd3000ab2425bd67674cd3f1ea7807',
        'parquet_raw': 'bd66a6cf86be678fc710a7d57073ddb8e60777cc5447abae8ff1ab0cadbf457a',
    },
    'majority': {
        'jsonl': '22f48010c76b1c38374cafe0f3fb20bfc5d7b8cee7c06ed19249a95cb6e2abdb',
        'parquet': 'cccb79ca93ddbdfd8dd98724851cf196464a940a5c57b31fd8c40643d40bf24c',
        'parquet_raw': 'feae300aaba6dc5431d62c54e3f0178dde9fe582a41784fc55d13bb9c1d6025c',
    },
    'parity': {
        'jsonl': '00c5e84daf9e4bfd21eb14d85c9955eda5927c886fec370c3032694d305beacc',
        'parquet': '4d6526da28345c2fb4a90af755dde8aae3c34c8c8e5d972343a94973fb4abb00',
        'parquet_raw': '414df6639374478cf8bbc1aecd3dc5fa46bf1ad884b5c0a683de228c4d7c7324',
    },
    'reach:cycles': {
        'jsonl': '500be09d0084d39973f4c424c1a4d98719e218da06bec1c241e4de3597f6bdae',
        'parquet': '7797958718c4ab8b2d41c45dfcf99c6ebd92d5032e01e48e9b7fda6bf3d1a444',
        'parquet_raw': 'cf561e06326879de4c2a6edacd314ae3cf372a29fb5ce29ed333342b4c4b8226',
    },
    'reach:flower': {
        'jsonl': '64fd441ad74fd3de07c9cadfd8b649174fe6b6344d0b86f45d0e83f98cc47a4a',
        'parquet': '33fa8bc72188daf1850b9d60cd5d8624fd3310743a706d8a1217adc03edbc178',
        'parquet_raw': '269aaf753e581ad3c539eae9e3a45f2399cec0d7486eb3cd648e8420ce97d44c',
    },
    'reach:path': {
        'jsonl': '041d260180a69830133c71e8864e4ac20a9e787dc0895cafc389a5f199d07a5b',
        'parquet': '19dafe27095d46f989f6f373cab1dcb88c9c89bd445794e9cb24a263f3ce67b5',
        'parquet_raw': '3a18b858c91b923c524e7c2786c3af3d19832c448f48149c7a23890894a1f703',
    },
    'reach:random': {
        'jsonl': '643800d29881794a79731a64f43d1dc12cbaa70d3d64d4f4e5a856ce432b1f3f',
        'parquet': '6f7b62941d8c1cc4b622e3bee43c3ee88c82bec8b1165d686ecd7b2777238f66',
        'parquet_raw': 'a2d8f4523e9f92fbb86eceef5f638d2d5cbeca1089657854125de8a7b6088d6f',
    },
    'sudoku': {
        'jsonl': 'ed9715c7d163b8b554906c305d151730bdc7873ff5d333fde55159db2862486d',
        'parquet': 'c3aea221b14ac57200530fc4e55449ce924b57d2d2a4b073a45a0dcd7ffabb8c',
        'parquet_raw': '97f1f8f836be4704adf138e510792971468f0fa6f9e1bde00902080afcc92971',
    },
    'timelock': {
        'jsonl': '0184219d3ab004b0d3444cb2b238317269b92086dcec2e136c4ee8f8ded27ddf',
        'parquet': '2bf39c79987e7e6b265055791d4a61384be25606e30525b35c341d7da2a0357c',
        'parquet_raw': '0b816d10e748a7367399b2d71a74917a8dd9a4e1f0873435516b55f614e9e33f',
    },
    'word:A4xZ5': {
        'jsonl': 'c6f4bfcc923cd28865715d11420b420de784c6e683bff307aa3d989cd263d92f',
        'parquet': 'f187cf0b116f62a33ec5a523d9501f025465e52c50af0cd794c7d7302041cc2f',
        'parquet_raw': '8f12bf3441d0c86b9c70a1a83d7b75246fcc83a9d27e1af3164d54d070d85fe6',
    },
    'word:A5': {
        'jsonl': '65f627c2fbfaf0d2ed251cc8fb2a8d2ee7bef4da9fe8ff30007bbf768f1a0b9a',
        'parquet': '4bf4e6aaa353374be5b7d066e4ececffae24241769898acb9b6f3451f22e19f1',
        'parquet_raw': '27bd1fa2bf3dbfdbc8234c39bb9e15ec81e1b40ad043411d25f2c5ab151c7eb9',
    },
    'word:S3': {
        'jsonl': '72d2d6c04df007fe6321d05e636c0573a6ebef6ff9dbea4db02815595526c818',
        'parquet': '11bc4f2599962aeb472fc147720921f4015381ad250702cfadf9e2c36996d7c3',
        'parquet_raw': 'fc324c209a71d290cf596b7bb567c0269bdb2c297353cdc5c3dfbfcfc695e1ea',
    },
    'word:S5': {
        'jsonl': 'a32d10be4bebf72a316c8e8fabd098ad20dd97b3421c18ec3bb27ef2e476a06b',
        'parquet': 'e98a63972621f583384ca0d02034462e551fb096a097d8062836d044bbfc8f87',
        'parquet_raw': '7aa62c1d27d5f4df6f681bfb32f3b55bdd1fd2e1c8669fb7a58b753e059cd562',
    },
    'word:flipflop': {
        'jsonl': 'f9341d4e179aa11ed7828cb27a6ae5fbaf0467980419d1a16b416fef532e4d16',
        'parquet': '4d8d561fdd090cb6ab3b1fe3b3cd2ad92b920aa6c3bccb39b39e2f01153e90b7',
        'parquet_raw': '09878817500172d892e896516afc663aa1418571d760dc91fe46630cc12a0eef',
    },
    'word:Z7': {
        'jsonl': '9a6f606772d4e894dedb8c2f547f196877c04960ee4d3430c3170c808a3fee79',
        'parquet': '152f323bf9e6d5eac532841dac43487f340069c3a9797f8f4d2e92885aa2b95c',
        'parquet_raw': 'd5b8c4b487b2993541a23050f98621c9117e2c728a778c667e16877f3b7ea117',
    },
}
# GOLDEN-END


@pytest.mark.parametrize("key", keys())
def test_same_arguments_same_bytes(key):
    """Two runs, and a different --chunk-size, give byte-identical files."""
    a, b, c = outputs(key), outputs(key), outputs(key, chunk=1)
    for fmt in FORMATS:
        assert a[fmt] == b[fmt] == c[fmt], (key, fmt)


@pytest.mark.parametrize("key", keys())
def test_golden_hashes(key):
    assert key in GOLDEN, f"no golden hashes for {key!r}: regenerate with `python scripts/regen_golden.py`"
    got = {fmt: digest(data) for fmt, data in outputs(key).items()}
    for fmt in FORMATS:
        cmd = " ".join(argv(key, fmt, "OUT"))
        assert got[fmt] == GOLDEN[key][fmt], (
            f"sha256 of `serialcomp {cmd}` changed: got {got[fmt]}, recorded {GOLDEN[key][fmt]} with "
            f"numpy {RECORDED_WITH['numpy']}, pyarrow {RECORDED_WITH['pyarrow']} (installed: numpy "
            f"{installed()['numpy']}, pyarrow {installed()['pyarrow']}; constraints.txt pins the recorded "
            f"versions). If the change is intended, regenerate with `python scripts/regen_golden.py`.")


def test_every_key_has_golden_hashes():
    assert sorted(GOLDEN) == sorted(keys())
