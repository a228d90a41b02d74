#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

class TaskTypeRegistry;

// The file `headway run MANIFEST.json` reads: {"title", "steps": [the pipeline's step objects],
// "icon"?, "finish_text"?, "confirm_cancel"?}. The steps are checked by the pipeline type's own
// validation, so a wrong step field reads as it would on the API ("steps[1].params.path: ...").
struct InstallerManifest
{
    QString title;
    QJsonArray steps;
    QString icon; // a file (relative to the manifest) or an icon theme name
    QString finishText;
    bool confirmCancel = false;

    // nullopt with every wrong field in *errors ("field: message").
    static std::optional<InstallerManifest>
    fromJson(const QJsonObject &json, const TaskTypeRegistry &registry, QStringList *errors);
    static std::optional<InstallerManifest>
    load(const QString &path, const TaskTypeRegistry &registry, QStringList *errors);
};
