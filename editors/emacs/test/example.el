;;; example.el --- the README's Emacs setup on examples/orders-service  -*- lexical-binding: t; -*-

;; The request file of a copy of examples/orders-service (outside any git
;; repository) opened from its requests/ folder: the project root must be
;; the service (not requests/), and the 4 findings of the README appear.
;; usage: GW403_BIN=… emacs --batch -Q -L editors/emacs [-L eglot dirs] \
;;          -l editors/emacs/test/example.el ORDERS-SERVICE-DIR

(load (expand-file-name "harness.el" (file-name-directory load-file-name)) nil t)

(let* ((ws (file-name-as-directory (expand-file-name (car command-line-args-left))))
       (bin (or (getenv "GW403_BIN") (error "set GW403_BIN")))
       server)
  (setq command-line-args-left nil)
  (setq gw403-program (list bin "serve"))
  (find-file (expand-file-name "requests/orders.http" ws))

  (e2e-check "the project root is the service, not requests/"
    (let ((root (project-root (project-current))))
      (or (equal (file-name-as-directory root) ws)
          (error "project root %s, want %s" root ws))))

  (e2e-check "eglot connects to gw403-lsp"
    (apply #'eglot (eglot--guess-contact))
    (setq server (e2e-wait #'eglot-current-server)))

  (e2e-check "the 4 findings: GW101, GW111, GW132, GW141"
    (let ((want '("GW101" "GW111" "GW132" "GW141")))
      (or (e2e-wait (lambda () (equal (sort (mapcar #'car (e2e-diags)) #'string<) want)))
          (error "saw %S, want %S" (mapcar #'butlast (e2e-diags)) want))))

  (e2e-check "eglot shuts the server down"
    (eglot-shutdown server)
    (not (jsonrpc-running-p server)))

  (e2e-out "emacs: %d passed, %d failed" e2e-passed e2e-failed)
  (kill-emacs (if (= e2e-failed 0) 0 1)))
