use super::*;

#[track_caller]
fn render(body: &str) -> (RenderedPage, Vec<Diagnostic>) {
    let page_url = |source: &str| match source {
        "01-a/02-b.md" => Some("a/b.html".to_string()),
        "glossaire.md" => Some("glossaire.html".to_string()),
        _ => None,
    };
    let ctx = PageContext {
        file: FileId(0),
        body_offset: 10,
        source: "01-a/01-x.md",
        page_url: &page_url,
        url: "a/x.html",
    };
    render_page(body, &ctx)
}

#[test]
fn headings_get_unique_folded_ids() {
    let (page, _) =
        render("# Généralités\n\n## Échéancier\n\n## Échéancier\n\n## Titre {#mon-id}\n");
    let ids: Vec<_> = page.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["generalites", "echeancier", "echeancier-1", "mon-id"]);
    assert!(page
        .html
        .contains("<h2 id=\"echeancier\">Échéancier<a class=\"anchor\""));
}

#[test]
fn admonitions_become_callouts() {
    let (page, _) = render("> [!WARNING]\n> Vérifiez le SIRET.\n");
    assert!(page.html.starts_with("<aside class=\"callout callout-warning\" role=\"note\" aria-label=\"Attention\"><p class=\"callout-title\">Attention</p>"), "{}", page.html);
    assert!(page.html.contains("</aside>"));
}

#[test]
fn directives_are_lifted_with_their_body_offset() {
    let body = "Intro\n\n```quiz\nid: q1\n```\n\nFin\n";
    let (page, problems) = render(body);
    assert!(problems.is_empty());
    assert_eq!(page.directives.len(), 1);
    let directive = &page.directives[0];
    assert_eq!(directive.kind, "quiz");
    assert_eq!(directive.body, "id: q1\n");
    assert_eq!(directive.body_offset, 10 + body.find("id: q1").unwrap());
    assert!(page.html.contains("<!--didact-directive-0-->"));
    assert!(!page.html.contains("id: q1"));
}

#[test]
fn misspelt_directive_is_a_diagnostic() {
    let (_, problems) = render("```quizz\nid: q\n```\n");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "unknown-directive");
    assert_eq!(problems[0].span.start, 10);
    let (_, problems) = render("```yaml\nid: q\n```\n");
    assert!(problems.is_empty());
}

#[test]
fn links_to_sources_become_links_to_pages() {
    let (page, _) = render("[b](02-b.md#sec) [g](../glossaire.md) [x](https://example.org) ![i](../images/a.png) [s](#haut)");
    assert!(
        page.html.contains("href=\"../a/b.html#sec\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("href=\"../glossaire.html\""));
    assert!(page.html.contains("src=\"../images/a.png\""));
    let targets: Vec<_> = page.links.iter().map(|l| l.target.clone()).collect();
    assert_eq!(
        targets,
        [
            LinkTarget::Page {
                source: "01-a/02-b.md".into(),
                fragment: Some("sec".into())
            },
            LinkTarget::Page {
                source: "glossaire.md".into(),
                fragment: None
            },
            LinkTarget::External("https://example.org".into()),
            LinkTarget::Asset("images/a.png".into()),
            LinkTarget::SamePage("haut".into()),
        ]
    );
}

#[test]
fn french_typography_uses_guillemets_and_no_break_spaces() {
    assert_eq!(
        french_typography("“Factures” : l'état ?"),
        "«\u{a0}Factures\u{a0}»\u{a0}: l’état\u{a0}?"
    );
    let (page, _) = render("Il dit \"bonjour\" !");
    assert!(
        page.html.contains("«\u{a0}bonjour\u{a0}»\u{a0}!"),
        "{}",
        page.html
    );
}

#[test]
fn sections_collect_text_for_search() {
    let (page, _) = render("Intro text.\n\n## Le SIRET\n\nQuatorze chiffres.\n");
    assert_eq!(page.sections.len(), 2);
    assert_eq!(page.sections[1].anchor, "le-siret");
    assert_eq!(page.sections[1].text, "Quatorze chiffres.");
    assert_eq!(page.word_count, 4, "heading words are not prose");
}

#[test]
fn inline_fragments_are_unwrapped() {
    assert_eq!(render_inline("un **SIRET**"), "un <strong>SIRET</strong>");
    assert_eq!(
        render_inline("<img src=x onerror=alert(1)>"),
        "<img src=x onerror=alert(1)>"
    );
}
