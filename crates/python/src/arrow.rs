//! pyarrow record batches in and out through the Arrow C data interface:
//! pyarrow exports a batch into structs we own and imports ours, so the
//! columns cross without a copy and without a second arrow build (arrow-rs's
//! `pyarrow` feature would pull PyO3 into every crate that uses arrow).

use arrow_array::cast::AsArray;
use arrow_array::ffi::{from_ffi, to_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::{make_array, Array, RecordBatch, StructArray};
use pyo3::prelude::*;

use crate::value_error;

/// A pyarrow `RecordBatch` (or anything with its `_export_to_c`) as an
/// arrow-rs batch.
pub(crate) fn import_batch(batch: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    let mut array = FFI_ArrowArray::empty();
    let mut schema = FFI_ArrowSchema::empty();
    batch.call_method1(
        "_export_to_c",
        (
            std::ptr::addr_of_mut!(array) as usize,
            std::ptr::addr_of_mut!(schema) as usize,
        ),
    )?;
    // SAFETY: pyarrow has just filled both structs with a valid export of
    // the batch (a struct array and its schema); `from_ffi` takes the array
    // and calls its release callback when the data is dropped.
    let data = unsafe { from_ffi(array, &schema) }.map_err(value_error)?;
    let array = make_array(data);
    if array.null_count() > 0 {
        return Err(value_error("a record batch has no null rows"));
    }
    let columns: &StructArray = array.as_struct();
    Ok(RecordBatch::from(columns.clone()))
}

/// An arrow-rs batch as a pyarrow `RecordBatch`.
pub(crate) fn export_batch(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    let array = StructArray::from(batch);
    let (mut array, mut schema) = to_ffi(&array.to_data()).map_err(value_error)?;
    let pa = py.import("pyarrow")?;
    // pyarrow moves the structs' contents out (leaving them released), so
    // dropping them here after the call frees nothing twice.
    let out = pa.getattr("RecordBatch")?.call_method1(
        "_import_from_c",
        (
            std::ptr::addr_of_mut!(array) as usize,
            std::ptr::addr_of_mut!(schema) as usize,
        ),
    )?;
    Ok(out)
}
