#pragma once

#include <QList>
#include <QString>

// One wrong field of a submitted task, named so a form can show the message next to it.
struct FieldError
{
    QString field; // dotted path: "params.path", "params.steps[1].type"
    QString message;
    bool operator==(const FieldError &other) const = default;
};

// Why the engine refused a request. Codes are stable strings the API passes on:
// not_found, invalid_transition, unknown_type, invalid_params, not_finished.
struct EngineError
{
    QString code;
    QString message;
    QList<FieldError> fields;

    bool isError() const { return !code.isEmpty(); }
    explicit operator bool() const { return isError(); }

    static EngineError notFound(const QString &id);
};
