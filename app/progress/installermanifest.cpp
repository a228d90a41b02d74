#include "installermanifest.h"

#include "app/core/tasktyperegistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("InstallerManifest", text);
}
} // namespace

std::optional<InstallerManifest> InstallerManifest::fromJson(const QJsonObject &json,
                                                             const TaskTypeRegistry &registry,
                                                             QStringList *errors)
{
    InstallerManifest m;
    const QStringList known { u"title"_s, u"steps"_s, u"icon"_s, u"finish_text"_s,
                              u"confirm_cancel"_s };
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (!known.contains(it.key()))
            errors->append(tr("%1: unknown field (known: %2).").arg(it.key(), known.join(u", "_s)));
    }
    const auto text = [&](const QString &key, bool required, QString *out) {
        const QJsonValue v = json.value(key);
        if (v.isUndefined() && !required)
            return;
        if (!v.isString() || (required && v.toString().trimmed().isEmpty())) {
            errors->append(required ? tr("%1: must be a non-empty string.").arg(key)
                                    : tr("%1: must be a string.").arg(key));
            return;
        }
        *out = v.toString();
    };
    text(u"title"_s, true, &m.title);
    text(u"icon"_s, false, &m.icon);
    text(u"finish_text"_s, false, &m.finishText);
    const QJsonValue confirm = json.value(u"confirm_cancel"_s);
    if (!confirm.isUndefined() && !confirm.isBool())
        errors->append(tr("confirm_cancel: must be true or false."));
    m.confirmCancel = confirm.toBool(false);

    const QJsonValue steps = json.value(u"steps"_s);
    if (!steps.isArray()) {
        errors->append(tr("steps: must be a list of steps ({\"label\", \"type\", \"params\"})."));
    } else {
        m.steps = steps.toArray();
        // The pipeline's own check: its messages, its field names without "params.".
        const Result<QJsonObject> checked
            = registry.validate(u"pipeline"_s, QJsonObject { { u"steps"_s, m.steps } });
        if (!checked.ok()) {
            for (const FieldError &e : checked.error().fields) {
                QString field = e.field;
                if (field.startsWith(u"params."))
                    field.remove(0, 7);
                errors->append(field + u": "_s + e.message);
            }
        }
    }
    if (!errors->isEmpty())
        return std::nullopt;
    return m;
}

std::optional<InstallerManifest>
InstallerManifest::load(const QString &path, const TaskTypeRegistry &registry, QStringList *errors)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        errors->append(tr("cannot read %1: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        errors->append(tr("%1 is not valid JSON (offset %2): %3")
                           .arg(path)
                           .arg(parseError.offset)
                           .arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        errors->append(tr("%1 must hold a JSON object.").arg(path));
        return std::nullopt;
    }
    std::optional<InstallerManifest> m = fromJson(doc.object(), registry, errors);
    if (m && !m->icon.isEmpty() && QFileInfo(m->icon).isRelative()) {
        const QString beside = QFileInfo(path).absoluteDir().filePath(m->icon);
        if (QFileInfo::exists(beside))
            m->icon = beside;
    }
    return m;
}
