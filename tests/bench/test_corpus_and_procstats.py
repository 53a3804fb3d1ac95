"""The benchmark's corpus and process figures."""

import os

from streams.bench.corpus import corpus, words
from streams.procstats import stat, tree


def test_corpus_is_long_mixed_and_reproducible() -> None:
    articles = corpus(40)
    sizes = [len(a["text"].split()) for a in articles]
    assert min(sizes) >= 300 and max(sizes) <= 1600
    assert corpus(40) == articles
    assert len({a["id"] for a in articles}) == 40
    assert words(articles) > sum(sizes)  # titles count too


def test_process_figures_of_this_process() -> None:
    me = stat(os.getpid())
    assert me is not None and me.cpu_s > 0 and me.peak_rss_mb > 10
    assert tree(os.getpid())[0] == os.getpid()
