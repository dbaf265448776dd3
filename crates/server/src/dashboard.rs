//! The dashboard: one page, its script as native ES modules, a style sheet and an icon,
//! embedded in the binary and served with a content security policy that allows nothing
//! from elsewhere, so it works on a laptop with no internet.

use crate::extract::ApiPath;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Nothing loads from other origins; no inline script.
const POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

const INDEX: &str = include_str!("../dashboard/index.html");
const JS: &str = "text/javascript; charset=utf-8";
/// The files under `/assets/`: the entry module `app.js` and the modules it imports (one
/// concept each), the style sheet and the icon.
const ASSETS: [(&str, &str, &str); 15] = [
    ("app.js", JS, include_str!("../dashboard/app.js")),
    ("api.js", JS, include_str!("../dashboard/api.js")),
    ("chart.js", JS, include_str!("../dashboard/chart.js")),
    ("dom.js", JS, include_str!("../dashboard/dom.js")),
    ("forecast.js", JS, include_str!("../dashboard/forecast.js")),
    ("i18n.js", JS, include_str!("../dashboard/i18n.js")),
    (
        "incidents.js",
        JS,
        include_str!("../dashboard/incidents.js"),
    ),
    ("map.js", JS, include_str!("../dashboard/map.js")),
    ("repairs.js", JS, include_str!("../dashboard/repairs.js")),
    (
        "scenarios.js",
        JS,
        include_str!("../dashboard/scenarios.js"),
    ),
    ("schedule.js", JS, include_str!("../dashboard/schedule.js")),
    ("state.js", JS, include_str!("../dashboard/state.js")),
    (
        "vocabulary.js",
        JS,
        include_str!("../dashboard/vocabulary.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../dashboard/app.css"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_str!("../dashboard/icon.svg"),
    ),
];

/// The names of the files `/assets/{file}` serves.
pub fn asset_names() -> Vec<&'static str> {
    ASSETS.iter().map(|(name, _, _)| *name).collect()
}

/// `GET /`: the dashboard.
pub async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}

/// `GET /assets/{file}`: the dashboard's modules, style sheet and icon.
pub async fn asset(ApiPath(file): ApiPath<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            "no such asset",
        )
            .into_response(),
    }
}
