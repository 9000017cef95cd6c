//! « Activités du gestionnaire »: demandes de rattachement to decide, users and their espaces,
//! attaching a user, transferring the gestionnaire principal role.

use didact_sim::world::{same_email, AccessLevel, Espace, RequestStatus};
use didact_sim::Action;
use web_sys::Element;

use super::dom::{enum_value, parse_enum, Field};
use super::{Ctx, Values};

const LEVELS: [AccessLevel; 3] = [
    AccessLevel::None,
    AccessLevel::Consultation,
    AccessLevel::Modification,
];

/// The action of a gestionnaire form.
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    Some(match kind {
        "validate_rattachement" => Action::ValidateRattachement {
            request_id: values.get("request_id").parse().ok()?,
        },
        "refuse_rattachement" => Action::RefuseRattachement {
            request_id: values.get("request_id").parse().ok()?,
            reason: values.get("motif"),
        },
        "set_espace_access" => Action::SetEspaceAccess {
            siret: values.get("siret"),
            email: values.get("utilisateur"),
            espace: parse_enum(&values.get("espace"))?,
            level: parse_enum(&values.get("niveau"))?,
        },
        "attach_user" => Action::AttachUser {
            siret: values.get("siret"),
            email: values.get("utilisateur"),
        },
        "detach_user" => Action::DetachUser {
            siret: values.get("siret"),
            email: values.get("utilisateur"),
        },
        "transfer_gestionnaire_principal" => Action::TransferGestionnairePrincipal {
            siret: values.get("siret"),
            email: values.get("utilisateur"),
        },
        _ => return None,
    })
}

/// « Activités du gestionnaire ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Activités du gestionnaire");
    if !ctx.require_login(parent) {
        return;
    }
    let Some(structure) = ctx.structure_picker(parent) else {
        return;
    };
    let siret = structure.siret.as_str();
    dom.add_text(
        parent,
        "p",
        "sim-note",
        &format!(
            "Gestionnaire principal : {} ({})",
            ctx.name_of(&structure.gestionnaire_principal),
            structure.gestionnaire_principal
        ),
    );

    dom.add_text(
        parent,
        "h4",
        "",
        "Les demandes de rattachement à une structure",
    );
    let pending: Vec<_> = ctx
        .world
        .requests
        .iter()
        .filter(|r| r.siret == siret && r.status == RequestStatus::Pending)
        .collect();
    if pending.is_empty() {
        dom.add_text(parent, "p", "sim-note", "Aucune demande en attente.");
    } else {
        let body = dom.table(
            parent,
            "",
            &["Utilisateur", "Services demandés", "Décision"],
        );
        for request in pending {
            let services = if request.services.is_empty() {
                "—".to_owned()
            } else {
                request.services.join(", ")
            };
            let who = format!("{} ({})", ctx.name_of(&request.email), request.email);
            let row = dom.row_of(&body, &[&who, &services]);
            let cell = dom.add(&row, "td", "sim-decision");
            let id = request.id.to_string();
            dom.button_form(
                &cell,
                "validate_rattachement",
                "Valider",
                &[("request_id", &id)],
            );
            let refuse = dom.form(&cell, "refuse_rattachement", "");
            dom.hidden(&refuse, "request_id", &id);
            dom.input(&refuse, Field::new("motif", "Motif du refus"));
            dom.submit(&refuse, "Refuser", "");
        }
    }

    dom.add_text(parent, "h4", "", "Les utilisateurs de la structure");
    let body = dom.table(
        parent,
        "",
        &["Utilisateur", "Rôle", "Services", "Espaces", ""],
    );
    for member in &structure.members {
        let is_gp = same_email(&member.email, &structure.gestionnaire_principal);
        let espaces: Vec<String> = member
            .espaces
            .iter()
            .filter(|(_, level)| **level != AccessLevel::None)
            .map(|(espace, level)| format!("{} : {}", espace.label(), level.label()))
            .collect();
        let who = format!("{} ({})", ctx.name_of(&member.email), member.email);
        let role = if is_gp {
            "Gestionnaire principal"
        } else {
            "Utilisateur"
        };
        let services = if member.services.is_empty() {
            "—".to_owned()
        } else {
            member.services.join(", ")
        };
        let espaces = if espaces.is_empty() {
            "Aucun".to_owned()
        } else {
            espaces.join(" ; ")
        };
        let row = dom.row_of(&body, &[&who, role, &services, &espaces]);
        let cell = dom.add(&row, "td", "");
        if !is_gp {
            dom.button_form(
                &cell,
                "detach_user",
                "Détacher",
                &[("siret", siret), ("utilisateur", &member.email)],
            );
        }
    }

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
    let form = dom.form(parent, "set_espace_access", "Accès aux espaces");
    dom.hidden(&form, "siret", siret);
    dom.select(&form, Field::new("utilisateur", "Utilisateur"), &members);
    let espaces: Vec<(String, String)> = Espace::ALL
        .iter()
        .map(|e| (enum_value(e), e.label().to_owned()))
        .collect();
    dom.select(&form, Field::new("espace", "Espace"), &espaces);
    let levels: Vec<(String, String)> = LEVELS
        .iter()
        .map(|l| (enum_value(l), l.label().to_owned()))
        .collect();
    dom.select(
        &form,
        Field::new("niveau", "Niveau d’accès").value("consultation"),
        &levels,
    );
    dom.submit(&form, "Enregistrer l’accès", "primary");

    let form = dom.form(parent, "attach_user", "Rattacher un utilisateur");
    dom.hidden(&form, "siret", siret);
    dom.input(
        &form,
        Field::new(
            "utilisateur",
            "Adresse e-mail de connexion de l’utilisateur",
        )
        .kind("email")
        .required(),
    );
    dom.submit(&form, "Rattacher", "");

    let others: Vec<(String, String)> = members
        .into_iter()
        .filter(|(email, _)| !same_email(email, &structure.gestionnaire_principal))
        .collect();
    if !others.is_empty() {
        let form = dom.form(
            parent,
            "transfer_gestionnaire_principal",
            "Transférer le rôle de gestionnaire principal",
        );
        dom.hidden(&form, "siret", siret);
        dom.select(
            &form,
            Field::new("utilisateur", "Nouveau gestionnaire principal"),
            &others,
        );
        dom.submit(&form, "Transférer", "");
    }
}
