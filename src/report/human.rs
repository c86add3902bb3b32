use super::Report;
pub fn render(_r: &Report, _c: bool) -> String {
    String::new()
}
pub fn render_compact(_r: &Report) -> String {
    String::new()
}
