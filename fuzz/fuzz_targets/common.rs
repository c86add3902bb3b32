//! Shared by the fuzz targets: run the policies and every renderer over what was loaded.

use guard::load::Loaded;
use guard::report::{render, Format, RenderOptions, Report};

const FORMATS: [Format; 6] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Markdown,
    Format::Github,
    Format::Compact,
];

/// Checks and renders: a panic anywhere aborts (libfuzzer-sys turns every panic into a crash,
/// even one that guard catches per file).
pub fn check_and_render(loaded: Loaded) {
    let report = Report::build(guard::check(loaded, &guard::Options::default()).untriaged());
    for format in FORMATS {
        let _ = render(
            &report,
            format,
            RenderOptions {
                color: format == Format::Human,
            },
        );
    }
}
