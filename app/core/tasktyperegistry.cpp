#include "tasktyperegistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("TaskTypeRegistry", text);
}

bool hasType(const QJsonValue &v, const QString &type)
{
    if (type == u"string")
        return v.isString();
    if (type == u"number")
        return v.isDouble();
    if (type == u"integer")
        return v.isDouble() && std::isfinite(v.toDouble())
            && std::floor(v.toDouble()) == v.toDouble();
    if (type == u"boolean")
        return v.isBool();
    if (type == u"array")
        return v.isArray();
    if (type == u"object")
        return v.isObject();
    return true;
}

QString typeLabel(const QString &type)
{
    if (type == u"string")
        return tr("a string");
    if (type == u"number")
        return tr("a number");
    if (type == u"integer")
        return tr("a whole number");
    if (type == u"boolean")
        return tr("true or false");
    if (type == u"array")
        return tr("a list");
    if (type == u"object")
        return tr("an object");
    return type;
}
} // namespace

void TaskTypeRegistry::add(TaskType type)
{
    const QString name = type.name;
    m_types.insert(name, std::move(type));
}

const TaskType *TaskTypeRegistry::find(const QString &name) const
{
    const auto it = m_types.constFind(name);
    return it == m_types.cend() ? nullptr : &it.value();
}

QList<const TaskType *> TaskTypeRegistry::types() const
{
    QList<const TaskType *> list;
    for (const TaskType &t : m_types)
        list.append(&t);
    return list;
}

QList<FieldError> TaskTypeRegistry::checkSchema(const QJsonObject &schema, QJsonObject &params,
                                                const QString &prefix)
{
    QList<FieldError> errors;
    const QJsonObject props = schema.value(u"properties"_s).toObject();
    const QJsonArray required = schema.value(u"required"_s).toArray();

    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        if (!props.contains(it.key()))
            errors.append({ prefix + it.key(), tr("Unknown parameter.") });
    }
    for (const QJsonValue &r : required) {
        const QString name = r.toString();
        if (!params.contains(name) || params.value(name).isNull())
            errors.append({ prefix + name, tr("This parameter is required.") });
    }
    for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
        const QString name = it.key();
        const QJsonObject prop = it.value().toObject();
        if (!params.contains(name)) {
            if (prop.contains(u"default"_s))
                params.insert(name, prop.value(u"default"_s));
            continue;
        }
        const QJsonValue v = params.value(name);
        const QString field = prefix + name;
        if (v.isNull()) {
            if (!prop.value(u"nullable"_s).toBool() && !required.contains(QJsonValue(name)))
                errors.append({ field, tr("Must not be null.") });
            continue;
        }
        const QString type = prop.value(u"type"_s).toString();
        if (!hasType(v, type)) {
            errors.append({ field, tr("Must be %1.").arg(typeLabel(type)) });
            continue;
        }
        if (prop.contains(u"enum"_s) && !prop.value(u"enum"_s).toArray().contains(v)) {
            QStringList allowed;
            for (const QJsonValue &e : prop.value(u"enum"_s).toArray())
                allowed.append(e.toVariant().toString());
            errors.append({ field, tr("Must be one of: %1.").arg(allowed.join(u", "_s)) });
            continue;
        }
        if (v.isDouble() && prop.contains(u"minimum"_s)
            && v.toDouble() < prop.value(u"minimum"_s).toDouble()) {
            errors.append(
                { field, tr("Must be at least %1.").arg(prop.value(u"minimum"_s).toDouble()) });
        }
        if (v.isDouble() && prop.contains(u"maximum"_s)
            && v.toDouble() > prop.value(u"maximum"_s).toDouble()) {
            errors.append(
                { field, tr("Must be at most %1.").arg(prop.value(u"maximum"_s).toDouble()) });
        }
        if (v.isString() && prop.contains(u"minLength"_s)
            && v.toString().size() < prop.value(u"minLength"_s).toInt()) {
            errors.append(
                // An empty required text is "required", as when it is left out (one wording
                // in the window and the page, whichever of the two a form sends).
                { field,
                  v.toString().isEmpty() ? tr("This parameter is required.") : tr("Too short.") });
        }
        if (v.isArray() && prop.contains(u"items"_s)) {
            const QString itemType = prop.value(u"items"_s).toObject().value(u"type"_s).toString();
            const QJsonArray items = v.toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                if (!itemType.isEmpty() && !hasType(items.at(i), itemType))
                    errors.append({ u"%1[%2]"_s.arg(field).arg(i),
                                    tr("Must be %1.").arg(typeLabel(itemType)) });
            }
        }
    }
    return errors;
}

QList<const TaskType *> TaskTypeRegistry::publicTypes() const
{
    QList<const TaskType *> list;
    for (const TaskType &t : m_types) {
        if (!t.internal)
            list.append(&t);
    }
    return list;
}

Result<QJsonObject> TaskTypeRegistry::validate(const QString &typeName,
                                               const QJsonObject &params) const
{
    const TaskType *type = find(typeName);
    if (!type) {
        QStringList names = m_types.keys();
        return EngineError {
            u"unknown_type"_s,
            tr("Unknown task type \"%1\". Known types: %2.").arg(typeName, names.join(u", "_s)),
            { FieldError { u"type"_s, tr("Unknown task type.") } }
        };
    }
    QJsonObject completed = params;
    QList<FieldError> errors = checkSchema(type->schema, completed, u"params."_s);
    if (errors.isEmpty() && type->validate) {
        for (FieldError e : type->validate(completed)) {
            e.field.prepend(u"params."_s);
            errors.append(e);
        }
    }
    if (!errors.isEmpty()) {
        QStringList parts;
        for (const FieldError &e : errors)
            parts.append(e.field + u": "_s + e.message);
        return EngineError {
            u"invalid_params"_s,
            tr("Invalid parameters for \"%1\": %2").arg(typeName, parts.join(u"; "_s)), errors
        };
    }
    return completed;
}

QList<FieldError> TaskTypeRegistry::checkPaths(const QJsonObject &schema, const QJsonObject &params,
                                               const QStringList &writtenBefore)
{
    QList<FieldError> warnings;
    const QJsonObject props = schema.value(u"properties"_s).toObject();
    for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
        const QJsonObject prop = it.value().toObject();
        if (prop.value(u"x-access"_s).toString() != u"read")
            continue;
        const QString path = params.value(it.key()).toString();
        if (path.isEmpty())
            continue;
        const QString clean = QDir::cleanPath(QDir::current().absoluteFilePath(path));
        const bool madeBefore = std::any_of(
            writtenBefore.cbegin(), writtenBefore.cend(), [&clean](const QString &written) {
                const QString w = QDir::cleanPath(QDir::current().absoluteFilePath(written));
                return clean == w || clean.startsWith(w + u'/');
            });
        if (madeBefore)
            continue; // an earlier step makes it
        const QFileInfo info(path);
        const QString format = prop.value(u"format"_s).toString();
        if (!info.exists())
            warnings.append({ it.key(),
                              tr("Nothing exists at this path (yet): the task will "
                                 "fail unless it appears before it starts.") });
        else if (format == u"file" && info.isDir())
            warnings.append({ it.key(), tr("This is a folder, not a file.") });
        else if (format == u"directory" && !info.isDir())
            warnings.append({ it.key(), tr("This is a file, not a folder.") });
    }
    return warnings;
}

QStringList TaskTypeRegistry::writtenPaths(const QJsonObject &schema, const QJsonObject &params)
{
    QStringList paths;
    const QJsonObject props = schema.value(u"properties"_s).toObject();
    for (auto it = props.constBegin(); it != props.constEnd(); ++it) {
        if (it.value().toObject().value(u"x-access"_s).toString() == u"write"
            && !params.value(it.key()).toString().isEmpty())
            paths.append(params.value(it.key()).toString());
    }
    return paths;
}

QList<FieldError> TaskTypeRegistry::warnings(const QString &typeName,
                                             const QJsonObject &params) const
{
    const TaskType *type = find(typeName);
    if (!type)
        return {};
    QList<FieldError> warnings = checkPaths(type->schema, params);
    if (type->warn)
        warnings.append(type->warn(params));
    for (FieldError &w : warnings)
        w.field.prepend(u"params."_s);
    return warnings;
}

std::unique_ptr<TaskRunner> TaskTypeRegistry::create(const QString &typeName,
                                                     const QJsonObject &params) const
{
    const TaskType *type = find(typeName);
    return type && type->create ? type->create(params) : nullptr;
}
