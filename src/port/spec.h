// Port spec helpers shared by the port drivers, the API and the CLI, beside the public parser
// and validator (rootlesskit/port_spec.h). Pure string processing, any process.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rootlesskit/port_spec.h"

namespace rootlesskit::port {

// tcp, tcp4, tcp6, udp, udp4, udp6, sctp, sctp4, sctp6 (case-sensitive).
bool is_known_proto(std::string_view proto);

// The protocol without its 4/6 suffix: "tcp6" -> "tcp".
std::string_view base_proto(std::string_view proto);

// Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 without zone.
bool is_ip_address(std::string_view text);

// Go's net.ParseIP(ip).To4().String(): the dotted form of an IPv4 address, also of an
// IPv4-mapped IPv6 one ("::ffff:1.2.3.4" -> "1.2.3.4"); nullopt for any other IPv6 address and
// for text that is no IP (tell them apart with is_ip_address).
std::optional<std::string> ipv4_text(std::string_view ip);

// Go's %q of an int: strconv.QuoteRune ('P' for 80, '\x00' for 0, '\U0001869f' for an
// unprintable code point, U+FFFD for values that are not runes).
std::string go_quote_rune(long long value);

// Go's %v of a Spec, as upstream's messages print it: `{tcp 127.0.0.1 80 80 }`.
std::string describe(const Spec& spec);

}  // namespace rootlesskit::port
