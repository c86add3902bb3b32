use super::Report;
pub fn render(_r: &Report) -> String {
    String::new()
}
