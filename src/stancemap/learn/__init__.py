"""Fitting and evaluating claim models. Reads gold files and annotation files; never the store
(``stancemap.jobs.training`` hands it a store's reviewed claims as rows).

- ``data``: annotated articles (gold files, offset annotations, review rows) -> TrainingSet
- ``dataset``: TrainingSet -> labelled feature rows (the extractor's own candidates and features)
- ``fit``: the scorer (gradient-boosted trees), calibration, threshold, the model folder
- ``train``: all of it, what ``stancemap train`` runs; ``builtin``: the built-in model
- ``crossval``: cross-validation, leave-issues-out, leave-topic-out
- ``distill`` / ``export``: static vectors from the encoder; scikit-learn -> numpy arrays
"""
