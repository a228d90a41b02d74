import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typesFromResponse } from '../../../web/js/form.js';

test('task types are found in every answer shape', () => {
    const types = [{ name: 'demo' }];
    assert.deepEqual(typesFromResponse(types), types);
    assert.deepEqual(typesFromResponse({ task_types: types }), types);
    assert.deepEqual(typesFromResponse({ types }), types);
    assert.deepEqual(typesFromResponse({ nothing: 1 }), []);
    assert.deepEqual(typesFromResponse(null), []);
});

test('fields follow x-order, then required, then the rest', async () => {
    const { fieldOrder } = await import('../../../web/js/form.js');
    const props = { a: {}, b: {}, c: {}, d: {} };
    assert.deepEqual(fieldOrder({ properties: props }), ['a', 'b', 'c', 'd']);
    assert.deepEqual(fieldOrder({ properties: props, required: ['c'] }), ['c', 'a', 'b', 'd']);
    assert.deepEqual(fieldOrder({ properties: props, required: ['c'], 'x-order': ['d', 'zz', 'b'] }), ['d', 'b', 'c', 'a']);
    assert.deepEqual(fieldOrder(undefined), []);
});
