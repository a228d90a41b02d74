#pragma once

#include "engineerror.h"

#include <utility>
#include <variant>

// A value or the EngineError that explains why there is none (std::expected is C++23).
template<typename T> class Result
{
public:
    Result(T value) : m_data(std::move(value)) { }
    Result(EngineError error) : m_data(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return std::get<T>(m_data); }
    T &value() { return std::get<T>(m_data); }
    const T &operator*() const { return value(); }
    const T *operator->() const { return &value(); }
    const EngineError &error() const { return std::get<EngineError>(m_data); }

private:
    std::variant<T, EngineError> m_data;
};
