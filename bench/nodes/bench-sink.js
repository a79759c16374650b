'use strict';
/**
 * bench-sink: a benchmark-only Node-RED node that counts the samples of the chunk messages it
 * receives and tells the benchmark runner (bench/flow-child.js) through a hook on `process`.
 */
module.exports = function (RED) {
  function BenchSinkNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    let samples = 0, messages = 0;
    node.on('input', (msg, send, done) => {
      const payload = msg.payload;
      // channel-major: payload[0] is a plain or typed array of samples; a flat array is one channel
      const first = Array.isArray(payload) ? payload[0] : undefined;
      const length = first !== null && typeof first === 'object' && typeof first.length === 'number' ? first.length : Array.isArray(payload) ? payload.length : 0;
      samples += length; messages++;
      const hook = process.resuBenchSink;
      if (typeof hook === 'function') hook({ samples, messages, channels: Array.isArray(payload) ? payload.length : 0 });
      done();
    });
  }
  RED.nodes.registerType('bench-sink', BenchSinkNode);
};
