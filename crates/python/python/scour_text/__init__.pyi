from typing import Any, List, Optional, Sequence

import pyarrow

SCHEMA_VERSION: str

class RejectedError(ValueError):
    record: dict
    reason: str
    detail: str
    def __init__(self, record: dict) -> None: ...

def normalize(data: bytes, name: str, *, text_fields: Optional[Sequence[str]] = ...) -> List[dict]: ...
def strip(records: Sequence[dict], *, markdown: bool = ..., keep_empty: bool = ...) -> List[dict]: ...
def clean(
    data: bytes,
    name: str,
    *,
    rejects: str = ...,
    markdown: bool = ...,
    text_fields: Optional[Sequence[str]] = ...,
) -> List[dict]: ...
def minhash(text: str) -> Optional[List[int]]: ...
def similarity(a: Sequence[int], b: Sequence[int]) -> float: ...
def clean_arrow(
    batch: pyarrow.RecordBatch,
    *,
    text_field: Optional[str] = ...,
    strip: bool = ...,
    markdown: bool = ...,
    name: Optional[str] = ...,
    id_path: Optional[str] = ...,
) -> pyarrow.RecordBatch: ...
def record_schema() -> pyarrow.Schema: ...
