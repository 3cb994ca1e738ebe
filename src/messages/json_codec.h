// What the JSON codecs of messages sent between our processes share (the parent/child messages,
// messages/message.cc; the builtin port driver's, port/builtin/protocol.cc): reading a member
// and writing an object the way Go's encoding/json does, so that a peer's bad input is an Error,
// never an nlohmann exception or undefined behaviour (see tests/fuzz/messages_fuzz).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "common/error.h"

namespace rootlesskit::messages {

// `body` parsed, or a discarded value (is_discarded()) if it is no JSON text. nlohmann stops at
// a NUL byte as at the end of its input, so `{}\0junk` would parse; Go's decoder refuses it.
template <typename Json>
Json json_parse(std::string_view body) {
  if (body.find('\0') != std::string_view::npos) {
    return Json(Json::value_t::discarded);
  }
  return Json::parse(body, nullptr, false);
}

// The "Name" member, which names every message, or "" when `j` is no object or its "Name" is no
// string (j.value("Name", "") would throw nlohmann's type_error for a number).
template <typename Json>
std::string json_name(const Json& j) {
  auto it = j.is_object() ? j.find("Name") : j.end();
  return it != j.end() && it->is_string() ? it->template get<std::string>() : "";
}

// The member `key` of the object `j` as T, or `fallback` when it is missing or null. Throws
// Error("<context>: bad <key>") for a member of another type and, for an integer T, for one
// that is no integer in T's range: nlohmann's get<int> would convert 1e300 (undefined
// behaviour) or 2^32 without a word, where Go's json.Unmarshal refuses both.
template <typename T, typename Json>
T json_field_or(const Json& j, const char* key, T fallback, std::string_view context) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return fallback;
  }
  std::optional<T> value;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (it->is_number_unsigned() && std::in_range<T>(it->template get<uint64_t>())) {
      value = static_cast<T>(it->template get<uint64_t>());
    } else if (it->is_number_integer() && !it->is_number_unsigned() && std::in_range<T>(it->template get<int64_t>())) {
      value = static_cast<T>(it->template get<int64_t>());
    }
  } else {
    try {
      value = it->template get<T>();
    } catch (const nlohmann::json::exception&) {
    }
  }
  if (!value) {
    throw Error(std::string(context) + ": bad " + key);
  }
  return *value;
}

// The compact text of `j`. Like Go's json.Marshal, bytes that are no UTF-8 (an interface name
// or a path from the command line, an error text) become U+FFFD, where dump() would throw.
template <typename Json>
std::string json_text(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace rootlesskit::messages
