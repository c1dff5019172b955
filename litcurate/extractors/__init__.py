"""Pure extraction functions: PDF -> document -> tables -> outcomes; text -> statements.

Nothing here imports Prefect, writes files or reads the environment: the pipeline
calls these functions and owns all I/O around them.
"""

EXTRACTOR_VERSION = "0.6.1"
