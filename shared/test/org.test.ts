// The pure department-tree rules: a subtree, and nesting a flat list for display.
import { describe, expect, it } from 'vitest';
import { buildDepartmentTree, descendantsAndSelf } from '../src/org.js';

const flat = [
  { id: 'east', name: '华东', parentId: null, order: 1 },
  { id: 'hz', name: '杭州', parentId: 'east', order: 2 },
  { id: 'nb', name: '宁波', parentId: 'east', order: 1 },
  { id: 'hz1', name: '杭州一组', parentId: 'hz', order: 0 },
  { id: 'south', name: '华南', parentId: null, order: 0 },
];

describe('descendantsAndSelf', () => {
  it('is the department and everything below it, nothing beside or above', () => {
    expect(descendantsAndSelf(flat, 'east').sort()).toEqual(['east', 'hz', 'hz1', 'nb']);
    expect(descendantsAndSelf(flat, 'hz').sort()).toEqual(['hz', 'hz1']);
    expect(descendantsAndSelf(flat, 'nb')).toEqual(['nb']);
  });

  it('stands for itself alone when unknown, and ends on cyclic data', () => {
    expect(descendantsAndSelf(flat, '服务一部')).toEqual(['服务一部']);
    const cyclic = [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a' },
    ];
    expect(descendantsAndSelf(cyclic, 'a').sort()).toEqual(['a', 'b']);
  });
});

describe('buildDepartmentTree', () => {
  it('nests by parent and orders siblings', () => {
    const tree = buildDepartmentTree(flat);
    expect(tree.map((node) => node.name)).toEqual(['华南', '华东']);
    expect(tree[1]!.children.map((node) => node.name)).toEqual(['宁波', '杭州']);
    expect(tree[1]!.children[1]!.children.map((node) => node.id)).toEqual(['hz1']);
  });
});
