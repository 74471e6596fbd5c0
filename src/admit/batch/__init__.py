"""Manifest screening: whole flights and whole days of passengers, with the engine's answers.

Why a package: reading manifests (CSV, Parquet, UN/EDIFACT PAXLST), deciding them in bulk and
writing the answers are separate jobs, each in its own module; `admit screen` and the benchmark
are thin shells over `screen_file`. The vectorised screener (`vectorised`) gives exactly the
row-by-row reference's answers (`reference`), which are `admit.engine.check`'s.
"""
