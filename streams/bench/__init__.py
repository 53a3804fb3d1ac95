"""``newsenrich bench``: throughput, latency, CPU and memory of the core, the worker and a naive
baseline, on a generated corpus of long German and English articles (see ``runner``)."""
