//! « Services » of a structure: create, activate or deactivate, attach users.

use didact_sim::Action;
use web_sys::Element;

use super::dom::Field;
use super::{Ctx, Values};

/// The action of a services form.
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    Some(match kind {
        "create_service" => Action::CreateService {
            siret: values.get("siret"),
            code: values.get("code_service"),
            name: values.get("libelle"),
        },
        "set_service_active" => Action::SetServiceActive {
            siret: values.get("siret"),
            code: values.get("code_service"),
            active: values.get("actif") == "true",
        },
        "attach_user_to_service" => Action::AttachUserToService {
            siret: values.get("siret"),
            code: values.get("code_service"),
            email: values.get("utilisateur"),
        },
        "detach_user_from_service" => Action::DetachUserFromService {
            siret: values.get("siret"),
            code: values.get("code_service"),
            email: values.get("utilisateur"),
        },
        _ => return None,
    })
}

/// « Services ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Services");
    if !ctx.require_login(parent) {
        return;
    }
    let Some(structure) = ctx.structure_picker(parent) else {
        return;
    };
    let siret = structure.siret.as_str();
    if structure.services.is_empty() {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "La structure n’a pas encore de service.",
        );
    } else {
        let body = dom.table(
            parent,
            "Services de la structure",
            &["Code service", "Libellé", "État", "Utilisateurs", ""],
        );
        for service in &structure.services {
            let users: Vec<String> = structure
                .members
                .iter()
                .filter(|m| m.services.contains(&service.code))
                .map(|m| ctx.name_of(&m.email))
                .collect();
            let users = if users.is_empty() {
                "—".to_owned()
            } else {
                users.join(", ")
            };
            let state = if service.active {
                "Actif"
            } else {
                "Désactivé"
            };
            let row = dom.row_of(&body, &[&service.code, &service.name, state, &users]);
            let cell = dom.add(&row, "td", "");
            let (label, active) = if service.active {
                ("Désactiver", "false")
            } else {
                ("Activer", "true")
            };
            dom.button_form(
                &cell,
                "set_service_active",
                label,
                &[
                    ("siret", siret),
                    ("code_service", &service.code),
                    ("actif", active),
                ],
            );
        }
    }

    let form = dom.form(parent, "create_service", "Créer un service");
    dom.hidden(&form, "siret", siret);
    dom.input(
        &form,
        Field::new("code_service", "Code service")
            .required()
            .help("Lettres, chiffres, tiret (-), tiret bas (_) et espace."),
    );
    dom.input(&form, Field::new("libelle", "Libellé"));
    dom.submit(&form, "Créer le service", "primary");

    if structure.services.is_empty() {
        return;
    }
    let form = dom.form(
        parent,
        "attach_user_to_service",
        "Rattacher un utilisateur à un service",
    );
    dom.hidden(&form, "siret", siret);
    let services: Vec<(String, String)> = structure
        .services
        .iter()
        .map(|s| (s.code.clone(), format!("{} — {}", s.code, s.name)))
        .collect();
    dom.select(&form, Field::new("code_service", "Service"), &services);
    let members: Vec<(String, String)> = structure
        .members
        .iter()
        .map(|m| {
            (
                m.email.clone(),
                format!("{} ({})", ctx.name_of(&m.email), m.email),
            )
        })
        .collect();
    dom.select(&form, Field::new("utilisateur", "Utilisateur"), &members);
    dom.submit(&form, "Rattacher au service", "");

    let pairs: Vec<(&str, &str)> = structure
        .members
        .iter()
        .flat_map(|m| {
            m.services
                .iter()
                .map(move |code| (m.email.as_str(), code.as_str()))
        })
        .collect();
    if pairs.is_empty() {
        return;
    }
    let body = dom.table(
        parent,
        "Rattachements aux services",
        &["Utilisateur", "Service", ""],
    );
    for (email, code) in pairs {
        let row = dom.row_of(&body, &[&ctx.name_of(email), code]);
        let cell = dom.add(&row, "td", "");
        dom.button_form(
            &cell,
            "detach_user_from_service",
            "Détacher du service",
            &[
                ("siret", siret),
                ("code_service", code),
                ("utilisateur", email),
            ],
        );
    }
}
