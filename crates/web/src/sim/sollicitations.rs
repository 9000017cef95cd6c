//! « Sollicitations »: write one (catégorie, sous-catégorie, invoice, title, message), follow
//! its status and messages, add information, send it back or close it.

use didact_sim::invoice::sollicitation::CATEGORIES;
use didact_sim::invoice::{
    SollicitationActor, SollicitationEvent, SollicitationForm, SollicitationStatus,
};
use didact_sim::{Action, FieldError};
use web_sys::Element;

use super::dom::{parse_enum, set, Field};
use super::invoice::read_attachments;
use super::{Ctx, Values};

/// The action of a sollicitation form.
pub fn action(kind: &str, values: &Values) -> Option<Result<Action, Vec<FieldError>>> {
    Some(match kind {
        "create_sollicitation" => {
            let (attachments, errors) = read_attachments(values);
            if !errors.is_empty() {
                return Some(Err(errors));
            }
            Ok(Action::CreateSollicitation {
                form: SollicitationForm {
                    category: values.get("category"),
                    subcategory: values.get("subcategory"),
                    structure_siret: values.get("structure_siret"),
                    invoice_number: values.get("invoice_number"),
                    title: values.get("title"),
                    message: values.get("message"),
                    attachments,
                },
                draft: values.get("intent") == "draft",
            })
        }
        "send_sollicitation" => Ok(Action::SendSollicitation {
            sollicitation_id: values.get("sollicitation_id").parse().unwrap_or(0),
        }),
        "act_on_sollicitation" => match parse_enum::<SollicitationEvent>(&values.get("event")) {
            Some(event) => Ok(Action::ActOnSollicitation {
                sollicitation_id: values.get("sollicitation_id").parse().unwrap_or(0),
                event,
                message: values.get("message"),
            }),
            None => return None,
        },
        _ => return None,
    })
}

/// « Sollicitations ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Sollicitations");
    let Some(user) = ctx.user() else {
        ctx.require_login(parent);
        return;
    };
    dom.add_text(
        parent,
        "p",
        "sim-note",
        "Les catégories et les statuts affichés ici sont ceux du simulateur : la liste du portail peut différer.",
    );
    let form = dom.form(parent, "create_sollicitation", "Saisir une sollicitation");
    let structures: Vec<(String, String)> = ctx
        .structures()
        .iter()
        .map(|s| {
            (
                s.siret.clone(),
                format!("{} ({})", s.raison_sociale, s.siret),
            )
        })
        .collect();
    dom.select(
        &form,
        Field::new("structure_siret", "Structure"),
        &structures,
    );
    let mut categories = vec![(String::new(), "— Choisir —".to_owned())];
    categories.extend(
        CATEGORIES
            .iter()
            .map(|c| (c.label.to_owned(), c.label.to_owned())),
    );
    dom.select(
        &form,
        Field::new("category", "Catégorie").required(),
        &categories,
    );
    let mut subcategories = vec![(String::new(), "— Choisir —".to_owned())];
    for category in CATEGORIES {
        for sub in category.subcategories {
            subcategories.push(((*sub).to_owned(), format!("{} › {sub}", category.label)));
        }
    }
    dom.select(
        &form,
        Field::new("subcategory", "Sous-catégorie").required(),
        &subcategories,
    );
    dom.input(
        &form,
        Field::new("invoice_number", "Numéro de facture concernée"),
    );
    dom.input(&form, Field::new("title", "Titre").required());
    let row = dom.add(&form, "div", "sim-field");
    let id = dom.id("message");
    let label = dom.add_text(&row, "label", "", "Description");
    set(&label, "for", &id);
    let area = dom.add(&row, "textarea", "");
    set(&area, "id", &id);
    set(&area, "name", "message");
    set(&area, "rows", "4");
    let error = dom.add(&row, "div", "sim-field-error");
    set(&error, "id", &format!("{id}-error"));
    set(&error, "hidden", "");
    let actions = dom.add(&form, "div", "sim-actions");
    // « Envoyer » comes first: it is the button the Enter key presses.
    dom.submit(&actions, "Envoyer", "primary");
    let draft = dom.submit(&actions, "Enregistrer en brouillon", "");
    set(&draft, "name", "intent");
    set(&draft, "value", "draft");

    let list = ctx.world.sollicitations_of(user);
    if list.is_empty() {
        return;
    }
    dom.add_text(parent, "h4", "", "Sollicitations émises");
    for sollicitation in list {
        let card = dom.add(parent, "div", "sim-card");
        set(&card, "data-sollicitation", &sollicitation.number);
        dom.add_text(
            &card,
            "p",
            "",
            &format!(
                "{} — {} › {} — {}",
                sollicitation.number,
                sollicitation.form.category,
                sollicitation.form.subcategory,
                sollicitation.form.title
            ),
        );
        dom.add_text(
            &card,
            "p",
            "sim-status",
            &format!("Statut : {}", sollicitation.status.label()),
        );
        let thread = dom.add(&card, "ul", "sim-messages");
        for message in &sollicitation.messages {
            let who = match message.from {
                SollicitationActor::Sender => "Vous",
                SollicitationActor::Handler => "Réponse",
            };
            dom.add_text(
                &thread,
                "li",
                "",
                &format!("{} ({}) : {}", who, message.at.to_fr_string(), message.text),
            );
        }
        let id = sollicitation.id.to_string();
        let events: &[(SollicitationEvent, &str)] = match sollicitation.status {
            SollicitationStatus::Brouillon => {
                dom.button_form(
                    &card,
                    "send_sollicitation",
                    "Envoyer",
                    &[("sollicitation_id", &id)],
                );
                &[]
            }
            SollicitationStatus::ComplementDemande => &[(
                SollicitationEvent::ProvideInformation,
                "Apporter un complément",
            )],
            SollicitationStatus::Repondue => &[
                (
                    SollicitationEvent::SendBack,
                    "Renvoyer (réponse insatisfaisante)",
                ),
                (SollicitationEvent::Close, "Clôturer"),
            ],
            SollicitationStatus::Cloturee => &[],
            _ => &[(SollicitationEvent::Close, "Clôturer")],
        };
        for (event, label) in events {
            let form = dom.form(&card, "act_on_sollicitation", "");
            set(&form, "class", "sim-form sim-inline");
            dom.hidden(&form, "sollicitation_id", &id);
            dom.hidden(&form, "event", &super::dom::enum_value(event));
            if *event != SollicitationEvent::Close {
                dom.input(&form, Field::new("message", "Message"));
            }
            dom.submit(&form, label, "");
        }
    }
}
