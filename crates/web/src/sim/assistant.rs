//! The help assistant: a stand-in for the portal's assistant that answers from the course
//! itself (its pages and glossary, through the search index (`crate::search`) that
//! `exercise.html` loads from `assets/search-index.js`), offline, and says it is a simulation.

use didact_search::Hit;
use web_sys::Element;

use super::dom::{set, Field};
use super::Ctx;

/// Answers shown at most.
const MAX_ANSWERS: usize = 5;

/// A question asked and what the course says about it.
pub struct Answer {
    /// The question, as typed.
    pub question: String,
    /// The best sections of the course; `None` when the index is not available.
    pub hits: Option<Vec<Hit>>,
}

/// Searches the course for `question`.
pub fn ask(question: &str) -> Answer {
    // The index parsed for the search box serves here too.
    let hits = crate::search::search(question, MAX_ANSWERS).ok();
    Answer {
        question: question.to_owned(),
        hits,
    }
}

/// « Assistant (simulation) ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Assistant d’aide (simulation)");
    let note = dom.add_text(
        parent,
        "p",
        "sim-note",
        "Simulation : cet assistant n’est pas celui du portail. Il cherche la réponse dans les pages et le glossaire de ce cours, sans connexion.",
    );
    set(&note, "role", "note");
    let form = dom.form(parent, "ask_assistant", "");
    dom.input(
        &form,
        Field::new("question", "Votre question").value(
            ctx.ui
                .answer
                .as_ref()
                .map(|a| a.question.as_str())
                .unwrap_or(""),
        ),
    );
    dom.submit(&form, "Demander", "primary");
    let Some(answer) = &ctx.ui.answer else {
        return;
    };
    let box_ = dom.add(parent, "div", "sim-answer");
    set(&box_, "data-answer", "");
    set(&box_, "tabindex", "-1");
    set(&box_, "role", "status");
    let Some(hits) = &answer.hits else {
        dom.add_text(
            &box_,
            "p",
            "",
            "L’index du cours n’est pas disponible sur cette page : utilisez la recherche du site.",
        );
        return;
    };
    if hits.is_empty() {
        dom.add_text(
            &box_,
            "p",
            "",
            &format!(
                "Je n’ai rien trouvé dans le cours sur « {} ». Reformulez avec d’autres mots, ou consultez le glossaire.",
                answer.question.trim()
            ),
        );
        return;
    }
    dom.add_text(
        &box_,
        "p",
        "",
        &format!(
            "Voici ce que dit le cours sur « {} » :",
            answer.question.trim()
        ),
    );
    let root = dom
        .document
        .body()
        .and_then(|body| body.get_attribute("data-root"))
        .unwrap_or_default();
    let list = dom.add(&box_, "ol", "sim-answers");
    for hit in hits {
        let item = dom.add(&list, "li", "");
        let href = if hit.anchor.is_empty() {
            format!("{root}{}", hit.url)
        } else {
            format!("{root}{}#{}", hit.url, hit.anchor)
        };
        let title = if hit.section_heading.is_empty() || hit.section_heading == hit.title {
            hit.title.clone()
        } else {
            format!("{} › {}", hit.title, hit.section_heading)
        };
        let link = dom.add_text(&item, "a", "", &title);
        set(&link, "href", &href);
        if !hit.excerpt.is_empty() {
            dom.add_text(&item, "p", "sim-excerpt", &hit.excerpt);
        }
    }
}
