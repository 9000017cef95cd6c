//! « Accueil »: the learner's persona, and once logged in, his structures and espaces.

use didact_sim::world::AccessLevel;
use web_sys::Element;

use super::{Ctx, Screen};

/// « Accueil ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    let learner = ctx.learner;
    match ctx.user() {
        None => {
            dom.title(parent, "Bienvenue sur Chorus Pro (simulateur)");
            dom.add_text(
                parent,
                "p",
                "",
                "Copie d’entraînement du portail : créez votre compte ou connectez-vous.",
            );
            let actions = dom.add(parent, "p", "sim-actions");
            dom.nav_button(&actions, "Créer un compte", Screen::CreateAccount.name());
            dom.nav_button(&actions, "Se connecter", Screen::Login.name());
        }
        Some(user) => {
            dom.title(parent, "Tableau de bord");
            let structures = ctx.structures();
            if structures.is_empty() {
                dom.add_text(
                    parent,
                    "p",
                    "sim-note",
                    "Vous n’êtes rattaché à aucune structure : créez votre structure ou faites une demande de rattachement.",
                );
                let actions = dom.add(parent, "p", "sim-actions");
                dom.nav_button(
                    &actions,
                    "Créer une structure",
                    Screen::CreateStructure.name(),
                );
                dom.nav_button(
                    &actions,
                    "Demande de rattachement",
                    Screen::Rattachement.name(),
                );
            } else {
                let body = dom.table(
                    parent,
                    "Mes structures",
                    &["Structure", "SIRET", "Rôle", "Mes espaces"],
                );
                for structure in structures {
                    let role = match ctx.world.role(&structure.siret, user) {
                        Some(didact_sim::world::Role::GestionnairePrincipal) => {
                            "Gestionnaire principal"
                        }
                        _ => "Utilisateur",
                    };
                    let espaces: Vec<String> = structure
                        .member(user)
                        .map(|member| {
                            member
                                .espaces
                                .iter()
                                .filter(|(_, level)| **level != AccessLevel::None)
                                .map(|(espace, level)| {
                                    format!("{} ({})", espace.label(), level.label())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    dom.row_of(
                        &body,
                        &[
                            &structure.raison_sociale,
                            &structure.siret,
                            role,
                            &espaces.join(", "),
                        ],
                    );
                }
            }
        }
    }
    let persona = dom.add(parent, "div", "sim-persona");
    dom.add_text(&persona, "h4", "", "Votre personnage dans cet exercice");
    let list = dom.add(&persona, "ul", "");
    dom.add_text(
        &list,
        "li",
        "",
        &format!("{} {}", learner.first_name, learner.last_name),
    );
    dom.add_text(
        &list,
        "li",
        "",
        &format!("Adresse e-mail : {}", learner.email),
    );
    if !learner.phone.trim().is_empty() {
        dom.add_text(&list, "li", "", &format!("Téléphone : {}", learner.phone));
    }
    dom.add_text(
        &list,
        "li",
        "",
        &format!("SIRET de son entreprise : {}", learner.siret),
    );
}
