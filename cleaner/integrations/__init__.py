"""Steps for data pipelines: ``cleaner.integrations.datatrove`` and ``cleaner.integrations.spark``.

Each module imports its framework when it is imported itself, never before:
``import cleaner`` does not import datatrove, pyspark or pandas.
"""
