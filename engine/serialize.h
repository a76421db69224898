// serialize.h - networks and sessions as versioned JSON documents, read back with field-path
// errors.
//
// Two formats (docs/network-format.md describes the network one field by field):
//   {"format": "splinescope-network", "version": 1, "input_dim": 2, "layers": [...]}
//   {"format": "splinescope-session", "version": 1, "seed": 1, "dataset": {...},
//    "network": {...}, "train": {...}, "weights": <network document, optional>}
//
// Writing never fails. Reading never throws and never crashes: it returns a LoadResult whose error
// is one line naming the field path and the reason, e.g.
//   layers[1].weights[3]: expected 16 columns (the width of layer 0), got 15
// Every size is checked against engine_limits.h before anything is allocated for it, and the text
// itself is capped at kMaxJsonBytes, so a hostile or corrupt file costs at most a few MB.
//
// The JSON library stays inside serialize.cpp so that headers including this one compile fast.
#pragma once

#include "datasets.h"
#include "network.h"
#include "session.h"
#include "train.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace splinescope {

// Longest JSON text accepted. The largest network within the limits takes under 1 MB written.
constexpr std::size_t kMaxJsonBytes = 4u << 20;

constexpr const char* kNetworkFormat = "splinescope-network";
constexpr const char* kSessionFormat = "splinescope-session";
constexpr int kNetworkFormatVersion = 1;
constexpr int kSessionFormatVersion = 1;

// The outcome of reading something: ok() and a value, or a one-line error (value is then default).
template <class T> struct LoadResult {
  T value{};
  std::string error;

  bool ok() const { return error.empty(); }
  static LoadResult failure(std::string message) {
    LoadResult r;
    r.error = std::move(message);
    return r;
  }
};

// Every name to_string gives a value of Enum, in declaration order ({"relu", "leaky_relu", ...}):
// the enums are contiguous from 0 and to_string answers "?" past the last one.
template <class Enum> std::vector<std::string> enum_names() {
  std::vector<std::string> names;
  for (int i = 0; i < 64; ++i) {
    const std::string name = to_string(static_cast<Enum>(i));
    if (name == "?") break;
    names.push_back(name);
  }
  return names;
}

// -----------------------------------------------------------------------------------------------
// Networks
// -----------------------------------------------------------------------------------------------

// The network as a "splinescope-network" document. Doubles are written in the shortest form that
// reads back to the same bits. Non-finite weights (a diverged network) are written as null, which
// network_from_json rejects: check before saving if that matters.
std::string network_to_json(const Network& net);

// Parses and checks a "splinescope-network" document. On success the network satisfies everything
// the engine assumes: at least one hidden layer, widths and dimensions within engine_limits.h,
// consistent shapes, finite numbers, a linear output layer without batch norm.
LoadResult<Network> network_from_json(const std::string& text);

// -----------------------------------------------------------------------------------------------
// Sessions: the app's SessionConfig, and optionally the trained weights
// -----------------------------------------------------------------------------------------------

struct SessionDocument {
  SessionConfig config;
  std::optional<Network> weights; // none: the session starts from make_network(config)
};

// The config as a "splinescope-session" document, with the weights when given. The one session
// seed is written at the top level; config.data.seed and config.train.seed are not written
// (SessionConfig overrides them with its seed), nor network.input_dim and network.outputs (the
// session derives them from the dataset).
std::string session_to_json(const SessionConfig& config, const Network* weights = nullptr);

// Parses a "splinescope-session" document. Every section and field is optional and takes the
// SessionConfig default (the app's opening setup). Unknown fields are errors: a misspelt field
// would otherwise be silently replaced by its default. On success config.data.seed and
// config.train.seed equal config.seed, and config.network has the dataset's input dimension (2 in
// the plane, 1 on the line: DatasetInfo::dims) and the outputs the dataset needs;
// network.input_dim and network.outputs may be given but must say just that.
// When "weights" is present its architecture must agree with "network"; without a "network"
// section it is taken from the weights. The sections are checked with the modules' validate()
// functions (the message is prefixed with the section name), and the training loss must fit the
// network and the dataset.
LoadResult<SessionDocument> session_from_json(const std::string& text);

// The "format" field of a JSON document ("splinescope-network", ...), or "" when the text is not
// a JSON object with a string "format". Lets a caller accept either kind of document.
std::string document_format(const std::string& text);

// -----------------------------------------------------------------------------------------------
// Files
// -----------------------------------------------------------------------------------------------

// The whole file, or an error naming the path ("cannot open net.json: no such file").
// Files longer than kMaxJsonBytes are refused before they are read.
LoadResult<std::string> read_text_file(const std::string& path);
// Empty on success, otherwise an error naming the path.
std::string write_text_file(const std::string& path, const std::string& text);

// read_text_file + network_from_json; errors are prefixed with the path ("net.json: layers[0]...").
LoadResult<Network> load_network_file(const std::string& path);
LoadResult<SessionDocument> load_session_file(const std::string& path);

} // namespace splinescope
