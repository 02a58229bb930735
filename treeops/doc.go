// Package treeops is the domain logic of zkc's tree tools, apart from the
// session and the output: find's expression language and predicates, grep's
// line matching, du's subtree totals, tree's drawing and edit's flow. The
// verbs in commands/ feed it nodes from the shared walker (package walk).
package treeops
