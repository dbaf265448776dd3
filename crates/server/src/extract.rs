//! Path, query and body extractors whose refusals are API errors, `{error, field}` in JSON
//! like every other refusal, where axum's own would answer in plain text.

use crate::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A path's parameters; a value that does not fit (`/api/scenarios/abc`) is 422 `path`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(|rejection| ApiError::invalid("path", rejection.body_text()))
    }
}

/// A query string's parameters; one that does not decode is 422 `query`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|rejection| ApiError::invalid("query", rejection.body_text()))
    }
}

/// A request body; one over the size limit is 413, one that cannot be read 400, and one
/// that does not arrive within [`Limits::body`](crate::limits::Limits) 408, all as
/// `{error, field: "body"}`.
pub struct ApiBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let limit = request
            .extensions()
            .get::<crate::limits::BodyDeadline>()
            .map_or_else(|| crate::limits::Limits::default().body, |d| d.0);
        match tokio::time::timeout(limit, Bytes::from_request(request, state)).await {
            Ok(Ok(bytes)) => Ok(Self(bytes)),
            Ok(Err(rejection)) => Err(ApiError::new(
                rejection.status(),
                format!("body: {}", rejection.body_text()),
            )
            .with_field("body")),
            Err(_) => Err(ApiError::new(
                axum::http::StatusCode::REQUEST_TIMEOUT,
                format!("body: not received within {:.1} s", limit.as_secs_f64()),
            )
            .with_field("body")),
        }
    }
}
