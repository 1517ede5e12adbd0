//! The readers of each container format but HTML (`crate::html`): each
//! turns its bytes into `Article`s, or `Doc`s for a container of many.

pub(crate) mod feed;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod warc;
pub(crate) mod wrapped;
