// The task types Headway ships: demo, checksum, copy, command and pipeline. Each is a name, a
// translated title and description, a parameter schema (the subset documented in tasktype.h),
// checks the schema cannot express, a factory and a default title.
#include "tasks/checksumtask.h"
#include "tasks/commandtask.h"
#include "tasks/copytask.h"
#include "tasks/demotask.h"
#include "tasks/digest.h"
#include "tasks/pipelinetask.h"
#include "tasktyperegistry.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
// The translation context of the types' titles, descriptions and field labels.
struct BuiltinTaskTypes
{
    Q_DECLARE_TR_FUNCTIONS(BuiltinTaskTypes)
};

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return BuiltinTaskTypes::tr(text, disambiguation, n);
}

QJsonObject field(const QString &type, const QString &title, const QString &description,
                  std::initializer_list<std::pair<QString, QJsonValue>> extra = {})
{
    QJsonObject f { { u"type"_s, type }, { u"title"_s, title }, { u"description"_s, description } };
    for (const auto &[key, value] : extra)
        f.insert(key, value);
    return f;
}

// Fields in the order forms should show them: JSON objects sort their keys, so the order
// travels separately as "x-order".
using Fields = std::initializer_list<std::pair<QString, QJsonValue>>;
QJsonObject schema(Fields fields, const QStringList &required = {})
{
    QJsonObject properties;
    QJsonArray order;
    for (const auto &[name, field] : fields) {
        properties.insert(name, field);
        order.append(name);
    }
    return QJsonObject { { u"type"_s, u"object"_s },
                         { u"properties"_s, properties },
                         { u"required"_s, QJsonArray::fromStringList(required) },
                         { u"x-order"_s, order } };
}

QString fileName(const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    return name.isEmpty() ? path : name;
}

TaskType demoType()
{
    TaskType t;
    t.name = u"demo"_s;
    t.title = tr("Demo");
    t.description = tr("Counts through a number of steps with a delay each; can fail on purpose. "
                       "For trying Headway out and for tests.");
    t.schema = schema({
        { u"steps"_s,
          field(u"integer"_s, tr("Steps"), tr("How many steps to run."),
                { { u"default"_s, 10 }, { u"minimum"_s, 0 }, { u"maximum"_s, 1000000 } }) },
        { u"delay_ms"_s,
          field(u"integer"_s, tr("Delay (ms)"), tr("How long each step takes, in milliseconds."),
                { { u"default"_s, 1000 }, { u"minimum"_s, 0 }, { u"maximum"_s, 3600000 } }) },
        { u"fail_at_step"_s,
          field(u"integer"_s, tr("Fail at step"),
                tr("Fail on this step (1-based); empty: succeed."),
                { { u"default"_s, QJsonValue::Null },
                  { u"nullable"_s, true },
                  { u"minimum"_s, 1 } }) },
    });
    t.validate = [](const QJsonObject &params) {
        QList<FieldError> errors;
        const QJsonValue failAt = params.value(u"fail_at_step"_s);
        const int steps = params.value(u"steps"_s).toInt();
        if (!failAt.isNull() && failAt.toInt() > steps)
            errors.append(
                { u"fail_at_step"_s, tr("Must not be more than steps (%1).").arg(steps) });
        return errors;
    };
    t.create = [](const QJsonObject &params) -> std::unique_ptr<TaskRunner> {
        return std::make_unique<DemoTask>(params.value(u"steps"_s).toInt(10),
                                          params.value(u"delay_ms"_s).toInt(1000),
                                          params.value(u"fail_at_step"_s).toInt(0));
    };
    t.defaultTitle = [](const QJsonObject &params) {
        // Spelled out so that lupdate finds it (a plural form).
        return BuiltinTaskTypes::tr("Demo (%n steps)", nullptr, params.value(u"steps"_s).toInt(10));
    };
    return t;
}

TaskType checksumType()
{
    TaskType t;
    t.name = u"checksum"_s;
    t.title = tr("Checksum a file");
    t.description = tr("Computes the SHA-256, SHA-1 or MD5 digest of a file.");
    t.schema = schema(
        {
            { u"path"_s,
              field(u"string"_s, tr("File"), tr("The file to checksum."),
                    { { u"minLength"_s, 1 },
                      { u"format"_s, u"file"_s },
                      { u"x-access"_s, u"read"_s } }) },
            { u"algorithm"_s,
              field(u"string"_s, tr("Algorithm"), tr("The digest to compute."),
                    { { u"default"_s, u"sha256"_s },
                      { u"enum"_s, QJsonArray { u"sha256"_s, u"sha1"_s, u"md5"_s } },
                      // The words the forms show for each value.
                      { u"enumNames"_s,
                        QJsonArray { Digest::algorithmLabel(Digest::Algorithm::Sha256),
                                     Digest::algorithmLabel(Digest::Algorithm::Sha1),
                                     Digest::algorithmLabel(Digest::Algorithm::Md5) } } }) },
        },
        { u"path"_s });
    t.create = [](const QJsonObject &params) -> std::unique_ptr<TaskRunner> {
        const auto algorithm
            = Digest::algorithmFromName(params.value(u"algorithm"_s).toString(u"sha256"_s));
        return std::make_unique<ChecksumTask>(params.value(u"path"_s).toString(),
                                              algorithm.value_or(Digest::Algorithm::Sha256));
    };
    t.defaultTitle = [](const QJsonObject &params) {
        return tr("Checksum of %1").arg(fileName(params.value(u"path"_s).toString()));
    };
    return t;
}

TaskType copyType()
{
    TaskType t;
    t.name = u"copy"_s;
    t.title = tr("Copy files");
    t.description = tr("Copies a file or a directory tree. Into the destination when it is an "
                       "existing directory; each file appears complete or not at all.");
    t.schema = schema(
        {
            { u"source"_s,
              field(u"string"_s, tr("Source"), tr("The file or directory to copy."),
                    { { u"minLength"_s, 1 },
                      { u"format"_s, u"path"_s },
                      { u"x-access"_s, u"read"_s } }) },
            { u"destination"_s,
              field(u"string"_s, tr("Destination"),
                    tr("The new path, or an existing directory to copy into."),
                    { { u"minLength"_s, 1 },
                      { u"format"_s, u"path"_s },
                      { u"x-access"_s, u"write"_s } }) },
            { u"overwrite"_s,
              field(u"boolean"_s, tr("Overwrite"),
                    tr("Replace existing files (directories are merged)."),
                    { { u"default"_s, false } }) },
        },
        { u"source"_s, u"destination"_s });
    t.create = [](const QJsonObject &params) -> std::unique_ptr<TaskRunner> {
        return std::make_unique<CopyTask>(params.value(u"source"_s).toString(),
                                          params.value(u"destination"_s).toString(),
                                          params.value(u"overwrite"_s).toBool());
    };
    t.defaultTitle = [](const QJsonObject &params) {
        return tr("Copy %1 to %2")
            .arg(fileName(params.value(u"source"_s).toString()),
                 params.value(u"destination"_s).toString());
    };
    return t;
}

TaskType commandType()
{
    TaskType t;
    t.name = u"command"_s;
    t.title = tr("Run a command");
    t.description = tr("Runs a program (no shell) and keeps the end of its output. Lines it prints "
                       "in the zenity protocol show progress: a number is the percent, \"# text\" "
                       "the message.");
    t.schema = schema(
        {
            { u"program"_s,
              field(u"string"_s, tr("Program"),
                    tr("A program name found in PATH, or a path to it."),
                    { { u"minLength"_s, 1 } }) },
            { u"arguments"_s,
              field(u"array"_s, tr("Arguments"), tr("The program's arguments, one per item."),
                    { { u"default"_s, QJsonArray() },
                      { u"items"_s, QJsonObject { { u"type"_s, u"string"_s } } } }) },
            { u"working_directory"_s,
              field(u"string"_s, tr("Working directory"),
                    tr("Where the program runs; empty: Headway's own."),
                    { { u"default"_s, QJsonValue::Null },
                      { u"nullable"_s, true },
                      { u"format"_s, u"directory"_s },
                      { u"x-access"_s, u"read"_s } }) },
        },
        { u"program"_s });
    t.create = [](const QJsonObject &params) -> std::unique_ptr<TaskRunner> {
        QStringList arguments;
        for (const QJsonValue &a : params.value(u"arguments"_s).toArray())
            arguments.append(a.toString());
        return std::make_unique<CommandTask>(params.value(u"program"_s).toString(), arguments,
                                             params.value(u"working_directory"_s).toString());
    };
    t.defaultTitle = [](const QJsonObject &params) {
        QStringList words { fileName(params.value(u"program"_s).toString()) };
        for (const QJsonValue &a : params.value(u"arguments"_s).toArray())
            words.append(a.toString());
        QString line = words.join(u' ');
        if (line.size() > 60)
            line = line.left(59) + u'…';
        return tr("Run %1").arg(line);
    };
    return t;
}

TaskType pipelineType(const TaskTypeRegistry *registry)
{
    TaskType t;
    t.name = u"pipeline"_s;
    t.title = tr("Pipeline");
    t.description
        = tr("Runs steps of the other types in order and stops at the first one that fails.");
    t.schema = schema(
        {
            { u"steps"_s,
              field(u"array"_s, tr("Steps"),
                    tr("The steps, in order: {\"label\", \"type\", \"params\"} each."),
                    { { u"items"_s, QJsonObject { { u"type"_s, u"object"_s } } },
                      { u"x-editor"_s, u"steps"_s } }) },
        },
        { u"steps"_s });
    t.validate = [registry](const QJsonObject &params) {
        return PipelineTask::validateSteps(*registry, params);
    };
    t.warn = [registry](const QJsonObject &params) {
        return PipelineTask::stepWarnings(*registry, params);
    };
    t.create = [registry](const QJsonObject &params) -> std::unique_ptr<TaskRunner> {
        return std::make_unique<PipelineTask>(registry, params.value(u"steps"_s).toArray());
    };
    t.defaultTitle = [registry](const QJsonObject &params) {
        const QJsonArray steps = params.value(u"steps"_s).toArray();
        QStringList labels;
        for (const QJsonValue &s : steps)
            labels.append(PipelineTask::stepLabel(*registry, s.toObject()));
        return labels.isEmpty() ? tr("Pipeline") : tr("Pipeline: %1").arg(labels.join(u" → "_s));
    };
    return t;
}
} // namespace

void registerBuiltinTaskTypes(TaskTypeRegistry &registry)
{
    registry.add(demoType());
    registry.add(checksumType());
    registry.add(copyType());
    registry.add(commandType());
    // The pipeline resolves its steps through the registry, which outlives the engine.
    registry.add(pipelineType(&registry));
}
