// files.js - export, files and recording, on top of page.js's window.splinescope.
// Adds to window.splinescope: export_png, export_svg, export_network, export_session, data_csv,
// history_csv, load_file_text, load_file, open_file, record_start, record_stop, download.
// The C++ side is web/export_api.cpp; the Export panel (web/export_panel.cpp) calls download().
(function () {
  'use strict';
  var api = window.splinescope, canvas = document.getElementById('canvas');
  var MAX_FILE_BYTES = 8 << 20;
  var recorder = null, chunks = [], recordStart = 0;
  function call(name, ret, types, args) { return Module.ccall(name, ret, types || [], args || []); }
  function notify(text) { call('ss_notify', null, ['string'], [String(text)]); }
  // Resolves after the app has drawn one more frame, so whatever changed is uploaded to the GPU.
  function afterFrame() {
    var first = call('ss_frame_count', 'number');
    return new Promise(function (resolve) {
      (function wait() {
        if (call('ss_frame_count', 'number') > first) resolve(); else requestAnimationFrame(wait);
      })();
    });
  }
  // Text of any length goes through the heap (ccall puts strings on the small stack).
  function withText(text, f) {
    var bytes = new TextEncoder().encode(String(text)), ptr = Module._malloc(bytes.length + 1);
    try {
      Module.HEAPU8.set(bytes, ptr);
      Module.HEAPU8[ptr + bytes.length] = 0;
      return f(ptr);
    } finally { Module._free(ptr); }
  }
  function save(name, data, type) {
    var blob = data instanceof Blob ? data : new Blob([data], { type: type });
    var url = URL.createObjectURL(blob), a = document.createElement('a');
    a.href = url; a.download = name; a.style.display = 'none';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    return blob;
  }
  api._guard_methods({
    // Promise of a PNG Blob of the view (no panels) at width x height pixels (default: the canvas;
    // in compare mode, pane A's part of it).
    export_png: function (width, height) {
      return afterFrame().then(function () {
        var s = api.state();
        var c = s.compare ? s.compare.panes[0].rect.slice(2) : s.canvas;
        var w = width > 0 ? width | 0 : c[0], h = height > 0 ? height | 0 : c[1];
        var ptr = call('ss_render_image', 'number', ['number', 'number'], [w, h]);
        if (!ptr) throw new Error(call('ss_image_error', 'string'));
        var pixels = new Uint8ClampedArray(w * h * 4);
        pixels.set(Module.HEAPU8.subarray(ptr, ptr + w * h * 4));
        call('ss_release_image');
        var image = document.createElement('canvas');
        image.width = w; image.height = h;
        image.getContext('2d').putImageData(new ImageData(pixels, w, h), 0, 0);
        return new Promise(function (resolve, reject) {
          image.toBlob(function (blob) {
            if (blob) resolve(blob); else reject(new Error('the browser could not encode a PNG'));
          }, 'image/png');
        });
      });
    },
    // The exact tiles, edges, boundary and points as SVG text; throws when there are too many tiles.
    export_svg: function () {
      var svg = call('ss_export_svg', 'string');
      if (svg.lastIndexOf('error: ', 0) === 0) throw new Error(svg.slice(7));
      return svg;
    },
    export_network: function () { return call('ss_network_json', 'string'); },
    export_session: function () { return call('ss_session_json', 'string'); },
    data_csv: function () { return call('ss_data_csv', 'string'); },
    history_csv: function () { return call('ss_history_csv', 'string'); },
    // A network, session or points CSV, told apart by its content. null, or the error (also shown
    // in the app); a bad file changes nothing.
    load_file_text: function (name, text) {
      return withText(text, function (ptr) {
        return call('ss_load_file', 'string', ['string', 'number'], [String(name || ''), ptr]) || null;
      });
    },
    // A File (picker, drop): Promise of null or the error.
    load_file: function (file) {
      if (file.size > MAX_FILE_BYTES) {
        var m = file.name + ' is ' + (file.size / 1048576).toFixed(1) + ' MB; files up to ' +
                (MAX_FILE_BYTES >> 20) + ' MB can be opened';
        notify('Not loaded: ' + m);
        return Promise.resolve(m);
      }
      return file.text().then(function (text) { return api.load_file_text(file.name, text); },
        function (e) { var m = file.name + ' could not be read: ' + e.message; notify(m); return m; });
    },
    open_file: function () {
      var input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,.csv,.txt,application/json,text/csv';
      input.onchange = function () { if (input.files.length) api.load_file(input.files[0]); };
      input.click();
    },
    recording: false,
    // Starts recording the canvas as WebM. null, or why it cannot (also shown in the app).
    record_start: function (fps) {
      if (recorder) return 'already recording';
      var problem = null, type = null;
      if (typeof MediaRecorder === 'undefined' || !canvas.captureStream) {
        problem = 'This browser cannot record video (no MediaRecorder or canvas.captureStream); ' +
                  'current Chrome, Edge and Firefox can.';
      } else {
        type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].filter(
          function (t) { return MediaRecorder.isTypeSupported(t); })[0];
        if (!type) problem = 'This browser cannot record WebM video; current Chrome, Edge and Firefox can.';
      }
      try {
        if (!problem) recorder = new MediaRecorder(canvas.captureStream(fps || 30),
                                                   { mimeType: type, videoBitsPerSecond: 8e6 });
      } catch (e) { problem = 'Recording could not start: ' + e.message; }
      if (problem) { notify(problem); return problem; }
      chunks = [];
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.start(500);
      recordStart = performance.now();
      api.recording = true;
      return null;
    },
    // Promise of the recording as a video/webm Blob.
    record_stop: function () {
      if (!recorder) return Promise.reject(new Error('not recording'));
      var r = recorder;
      recorder = null;
      api.recording = false;
      return new Promise(function (resolve) {
        r.onstop = function () {
          r.stream.getTracks().forEach(function (t) { t.stop(); });
          resolve(new Blob(chunks, { type: 'video/webm' }));
        };
        r.stop();
      });
    },
    recording_seconds: function () { return recorder ? (performance.now() - recordStart) / 1000 : -1; },
    // What the Export panel's buttons do: save a file (or open one, or start/stop recording).
    download: function (kind, width, height) {
      var base = 'splinescope-step' + api.state().step;
      var failed = function (e) { notify('Export failed: ' + (e && e.message ? e.message : e)); };
      try {
        switch (kind) {
          case 'png': return api.export_png(width, height).then(function (blob) {
            save(base + '.png', blob); }, failed);
          case 'svg': save(base + '-tiles.svg', api.export_svg(), 'image/svg+xml'); break;
          case 'network': save(base + '-network.json', api.export_network(), 'application/json'); break;
          case 'session': save(base + '-session.json', api.export_session(), 'application/json'); break;
          case 'data': save(base + '-points.csv', api.data_csv(), 'text/csv'); break;
          case 'points': save('splinescope-placed-points.csv', api.points_csv(), 'text/csv'); break;
          case 'history': save(base + '-history.csv', api.history_csv(), 'text/csv'); break;
          case 'open': api.open_file(); break;
          case 'record':
            if (!recorder) { api.record_start(); break; }
            return api.record_stop().then(function (blob) { save(base + '.webm', blob); }, failed);
          default: throw new Error('unknown export ' + kind);
        }
      } catch (e) { failed(e); }
      return Promise.resolve();
    }
  });

  // Drag and drop a file anywhere on the page.
  var hint = document.createElement('div');
  hint.textContent = 'Drop a network or session (.json) or points (.csv) to open it';
  hint.style.cssText = 'position:fixed;inset:10px;display:none;align-items:center;' +
    'justify-content:center;border:2px dashed #7aa2f7;border-radius:10px;pointer-events:none;' +
    'background:rgba(27,29,36,.7);font-size:18px;z-index:5';
  document.body.appendChild(hint);
  function hasFiles(e) {
    return e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
  }
  window.addEventListener('dragover', function (e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    hint.style.display = api.ready ? 'flex' : 'none';
  });
  window.addEventListener('dragleave', function (e) { if (!e.relatedTarget) hint.style.display = 'none'; });
  window.addEventListener('drop', function (e) {
    if (!hasFiles(e)) return;
    e.preventDefault(); // never let the browser navigate to the file
    hint.style.display = 'none';
    if (api.ready && e.dataTransfer.files.length) api.load_file(e.dataTransfer.files[0]);
  });
})();
// ---- end of export, files and recording -----------------------------------------------------
