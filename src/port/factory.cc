// port::Selection (rootlesskit/port.h) -> driver halves. Runs in the parent
// (make_parent_driver) and in the child (make_child_driver).
#include "rootlesskit/port.h"

#include "port/builtin/builtin.h"
#include "port/slirp4netns/slirp4netns.h"
#include "port/socat/socat.h"

namespace rootlesskit::port {
namespace {

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <typename... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string name_of(const Selection& selection) {
  return std::visit(Overloaded{[](const NoPorts& n) { return n.name; },
                               [](const builtin::ParentOptions&) { return std::string("builtin"); },
                               [](const slirp4netns::Options&) { return std::string("slirp4netns"); },
                               [](const socat::Options&) { return std::string("socat"); }},
                    selection);
}

std::shared_ptr<ParentDriver> make_parent_driver(const Selection& selection) {
  return std::visit(Overloaded{[](const NoPorts&) -> std::shared_ptr<ParentDriver> { return nullptr; },
                               [](const builtin::ParentOptions& o) -> std::shared_ptr<ParentDriver> {
                                 return std::make_shared<builtin::ParentDriver>(o);
                               },
                               [](const slirp4netns::Options& o) -> std::shared_ptr<ParentDriver> {
                                 return std::make_shared<slirp4netns::ParentDriver>(o);
                               },
                               [](const socat::Options& o) -> std::shared_ptr<ParentDriver> {
                                 return std::make_shared<socat::ParentDriver>(socat::resolve(o));
                               }},
                    selection);
}

std::shared_ptr<ChildDriver> make_child_driver(const Selection& selection) {
  if (std::holds_alternative<builtin::ParentOptions>(selection)) {
    return std::make_shared<builtin::ChildDriver>();
  }
  return nullptr;
}

}  // namespace rootlesskit::port
