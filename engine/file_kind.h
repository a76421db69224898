// file_kind.h - what a file opened in the app (file picker, drag and drop) holds, decided from
// its text (and its name only where the text cannot tell), so the app can route it to the right
// loader or say clearly why it cannot.
#pragma once

#include <string>

namespace splinescope {

enum class FileKind {
  network,      // a "splinescope-network" document
  session,      // a "splinescope-session" document
  points_csv,   // anything else that is not JSON: read as hand-placed points (x,y,label or x,label)
  points_table, // the all-points table the app exports (x,y,label,split,source, or
                // x,label,split,source on the line): export only
  other_json,   // JSON, but malformed, not an object, or of another (or no) "format"
  empty,        // nothing but white space
};
const char* to_string(FileKind kind);

// JSON is recognised by its first non-blank character ('{' or '[') or a ".json" name; the format
// field (document_format) then tells a network from a session. The points table is recognised
// by its header's fourth column, "split" (the third on the line: x,label,split,source).
FileKind detect_file_kind(const std::string& name, const std::string& text);

} // namespace splinescope
