"""Training recipes for the models shipped in the package (German NER: see
``streams/models/de_newsenrich_ner/MODEL_CARD.md``).

Training runs on one thread: the numeric libraries read these variables when they are first
imported, which is after this package is.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
